import { WecomError } from './wecom-error.js';

/** A JSON body must be an object; anything else is what WeCom calls wrong json format (behaviour §1.1, 40058). */
export function requireBodyObject(body: unknown): Record<string, unknown> {
  if (body === null || typeof body !== 'object' || Array.isArray(body)) {
    throw new WecomError('INVALID_ARGUMENT', { detail: 'body must be a JSON object', wrongJsonFormat: true });
  }
  return body as Record<string, unknown>;
}

/**
 * A required userid field. A value of the wrong JSON type is what WeCom parses only partly: it counts as
 * missing (41009) and the errmsg carries "Warning: wrong json format." (behaviour §1.1, §9.1.4).
 */
export function requiredUserid(fields: Record<string, unknown>, field: string): string {
  const value = fields[field];
  if (typeof value === 'string' && value !== '') return value;
  const wrongType = value !== undefined && value !== null && typeof value !== 'string';
  throw new WecomError('USERID_MISSING', { detail: field, wrongJsonFormat: wrongType });
}

/** An optional string field; a value of another type is rejected as wrong json format (40058). */
export function optionalString(fields: Record<string, unknown>, field: string): string | undefined {
  const value = fields[field];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'string') throw new WecomError('INVALID_ARGUMENT', { detail: `${field} must be a string`, wrongJsonFormat: true });
  return value;
}

export function isStringArray(value: unknown): value is string[] {
  return Array.isArray(value) && value.every((item) => typeof item === 'string');
}
