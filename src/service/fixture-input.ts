import { isAcceptedInstant } from '../domain/calendar.js';
import { mayNameARecord } from '../domain/lookup-key.js';

/** Thrown for bad admin input: a 4xx answer naming the offending field (issue 2, admin API). */
export class AdminInputError extends Error {
  constructor(
    readonly field: string | undefined,
    message: string,
    readonly status = 400,
  ) {
    super(message);
    this.name = 'AdminInputError';
  }
}

/** Small typed readers over untrusted JSON: each names the field it rejects. */
export class FieldReader {
  constructor(
    private readonly value: Record<string, unknown>,
    readonly path: string,
  ) {}

  static object(value: unknown, path: string): FieldReader {
    if (value === null || typeof value !== 'object' || Array.isArray(value)) throw new AdminInputError(path || undefined, `${path || 'body'} must be an object`);
    return new FieldReader(value as Record<string, unknown>, path);
  }

  private at(name: string): string {
    return this.path ? `${this.path}.${name}` : name;
  }

  /** PostgreSQL text cannot hold U+0000: refused here, it would fail the whole load as a 500. */
  private storable(name: string, value: string): string {
    if (!mayNameARecord(value)) throw new AdminInputError(this.at(name), `${this.at(name)} must not contain U+0000`);
    return value;
  }

  string(name: string, options: { fallback?: string; pattern?: RegExp; max?: number } = {}): string {
    const value = this.value[name];
    if ((value === undefined || value === null) && options.fallback !== undefined) return options.fallback;
    if (typeof value !== 'string' || value === '') throw new AdminInputError(this.at(name), `${this.at(name)} must be a non-empty string`);
    if (options.max !== undefined && value.length > options.max) throw new AdminInputError(this.at(name), `${this.at(name)} is longer than ${options.max} characters`);
    if (options.pattern && !options.pattern.test(value)) throw new AdminInputError(this.at(name), `${this.at(name)} does not match ${options.pattern}`);
    return this.storable(name, value);
  }

  text(name: string): string {
    const value = this.value[name];
    if (value === undefined || value === null) return '';
    if (typeof value !== 'string') throw new AdminInputError(this.at(name), `${this.at(name)} must be a string`);
    return this.storable(name, value);
  }

  optionalText(name: string): string | null {
    const value = this.value[name];
    if (value === undefined || value === null || value === '') return null;
    if (typeof value !== 'string') throw new AdminInputError(this.at(name), `${this.at(name)} must be a string`);
    return this.storable(name, value);
  }

  boolean(name: string, fallback: boolean): boolean {
    const value = this.value[name];
    if (value === undefined || value === null) return fallback;
    if (typeof value !== 'boolean') throw new AdminInputError(this.at(name), `${this.at(name)} must be true or false`);
    return value;
  }

  integer(name: string, options: { fallback?: number; min?: number; oneOf?: readonly number[] } = {}): number {
    const value = this.value[name];
    if ((value === undefined || value === null) && options.fallback !== undefined) return options.fallback;
    if (typeof value !== 'number' || !Number.isSafeInteger(value)) throw new AdminInputError(this.at(name), `${this.at(name)} must be an integer`);
    if (options.min !== undefined && value < options.min) throw new AdminInputError(this.at(name), `${this.at(name)} must be at least ${options.min}`);
    if (options.oneOf && !options.oneOf.includes(value)) throw new AdminInputError(this.at(name), `${this.at(name)} must be one of ${options.oneOf.join(', ')}`);
    return value;
  }

  /** ISO-8601 → epoch ms; numbers are Unix seconds when `seconds` is allowed. */
  instant(name: string, fallback: number, options: { seconds?: boolean } = {}): number {
    const value = this.value[name];
    if (value === undefined || value === null) return fallback;
    const parsed =
      options.seconds && typeof value === 'number' && Number.isFinite(value) ? Math.round(value * 1000) : typeof value === 'string' ? Date.parse(value) : Number.NaN;
    if (!isAcceptedInstant(parsed)) {
      throw new AdminInputError(this.at(name), `${this.at(name)} must be an ISO-8601 instant${options.seconds ? ' or Unix seconds' : ''} from 1970 to 9999`);
    }
    return parsed;
  }

  /** Whole Unix seconds (WeCom's own instants, e.g. `dimission_time`) → epoch ms. */
  unixSeconds(name: string): number {
    const value = this.value[name];
    const ms = typeof value === 'number' && Number.isSafeInteger(value) ? value * 1000 : Number.NaN;
    if (!isAcceptedInstant(ms)) throw new AdminInputError(this.at(name), `${this.at(name)} must be whole Unix seconds from 1970 to 9999`);
    return ms;
  }

  array(name: string, options: { optional?: boolean } = {}): unknown[] {
    const value = this.value[name];
    if ((value === undefined || value === null) && options.optional) return [];
    if (!Array.isArray(value)) throw new AdminInputError(this.at(name), `${this.at(name)} must be an array`);
    return value;
  }

  stringArray(name: string, fallback: string[]): string[] {
    const value = this.value[name];
    if (value === undefined || value === null) return fallback;
    if (!Array.isArray(value) || !value.every((item) => typeof item === 'string')) throw new AdminInputError(this.at(name), `${this.at(name)} must be an array of strings`);
    for (const item of value) this.storable(name, item);
    return value;
  }

  has(name: string): boolean {
    return this.value[name] !== undefined && this.value[name] !== null;
  }

  raw(name: string): unknown {
    return this.value[name];
  }

  child(name: string): FieldReader {
    return FieldReader.object(this.value[name], this.at(name));
  }
}
