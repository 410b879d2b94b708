// Types for settings.js (the bench is plain ESM JavaScript; test/bench/ checks its pure logic).
export interface ScaleDefaults {
  readonly seconds: number;
  readonly warmupSeconds: number;
  readonly takeovers: number;
  readonly companyCustomers: number;
  readonly insertRows: number;
  readonly postgresCustomers: number | null;
  readonly setupSeconds: number;
}
export interface Settings extends ScaleDefaults {
  readonly quick: boolean;
  readonly postgresCustomers: number;
  readonly connections: number;
  readonly customersPerMember: number;
  readonly pin: boolean;
  readonly profile: boolean;
  readonly keep: boolean;
  readonly build: boolean;
  readonly databaseUrl: string | null;
  readonly figures: Set<number>;
  readonly cores: number;
}
export const ALL_FIGURES: readonly number[];
export const FULL_DEFAULTS: ScaleDefaults;
export const QUICK_DEFAULTS: ScaleDefaults;
export const DEFAULT_DATABASE_URL: string;
export function parseFigures(raw: string | undefined): Set<number>;
export function loadSettings(env?: Record<string, string | undefined>, machine?: { cores?: number; taskset?: () => boolean }): Settings;
