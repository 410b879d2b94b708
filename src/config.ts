import { randomBytes } from 'node:crypto';
import { DEFAULT_RESIGNED_NOTICE_TEMPLATE, DEFAULT_TRANSFER_MESSAGE_TEMPLATE } from './domain/customer-message.js';
import { DEFAULT_TRANSFER_QUOTA, type TransferQuota } from './domain/transfer-quota.js';
import { DEFAULT_GROUP_TRANSFER_LIMITS, type GroupTransferLimits } from './domain/group-transfer-rules.js';
import type { StoreLocation } from './store/open-store.js';

/** Every setting of a handover server. The only module that reads process.env (architecture rule 12). */
export interface Config {
  host: string;
  port: number;
  store: StoreLocation;
  adminToken: string;
  /** A token from HANDOVER_ADMIN_TOKEN is never printed; a generated one is (it is the only way to learn it). */
  adminTokenSource: 'env' | 'generated';
  /** Serve /admin/ to non-loopback clients too. */
  adminRemote: boolean;
  quota: TransferQuota;
  messageTemplate: string;
  copyRelationData: boolean;
  /** Behaviour §10.3/§10.4: the resigned transfer's notice, and whether the 90-day quota applies to it. */
  resigned: { noticeTemplate: string; quota: boolean };
  rateLimit: { enabled: boolean; perMinute: number; perHour: number };
  engine: { enabled: boolean; pollMs: number; batchSize: number };
  delivery: { enabled: boolean; pollMs: number; timeoutMs: number; backoffSeconds: number[]; batchSize: number };
  logLevel: string;
  /** A request's headers and body must arrive within requestMs; an idle keep-alive connection closes after keepAliveMs. */
  http: { requestTimeoutMs: number; keepAliveTimeoutMs: number };
  /** Customer groups (behaviour §10.6): transfer limits, how long a resigned owner's inheritance runs, callbacks. */
  groupChats: { limits: GroupTransferLimits; inheritSeconds: number; callbacks: boolean };
  /** Memory for cached read answers (issue 13; 0 switches the cache off). */
  readCacheMb: number;
}

export interface ServeFlags {
  port?: number;
  host?: string;
  db?: string;
  databaseUrl?: string;
}

/** A setting the server cannot start with: `handover serve` says it in one line and exits 2. */
export class ConfigError extends Error {}

/** Shorter tokens fall to guessing over the network (issue 11, defect 7). */
export const MIN_ADMIN_TOKEN_CHARS = 16;
export const MIN_REMOTE_ADMIN_TOKEN_CHARS = 32;

type Env = Readonly<Record<string, string | undefined>>;

function integer(env: Env, name: string, fallback: number, min = 0): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < min) throw new ConfigError(`${name} must be an integer ≥ ${min}, got "${raw}"`);
  return value;
}

function flag(env: Env, name: string, fallback: boolean): boolean {
  const raw = env[name]?.toLowerCase();
  if (raw === undefined || raw === '') return fallback;
  if (['1', 'true', 'on', 'yes'].includes(raw)) return true;
  if (['0', 'false', 'off', 'no'].includes(raw)) return false;
  throw new ConfigError(`${name} must be on or off, got "${env[name]}"`);
}

function secondsList(env: Env, name: string, fallback: number[]): number[] {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const values = raw.split(',').map((part) => Number(part.trim()));
  if (values.some((v) => !Number.isFinite(v) || v < 0)) throw new ConfigError(`${name} must be comma-separated seconds, got "${raw}"`);
  return values;
}

/** Flags win over the environment, the environment over defaults. Throws a readable Error on a bad value. */
export function loadConfig(flags: ServeFlags = {}, env: Env = process.env): Readonly<Config> {
  const databaseUrl = flags.databaseUrl ?? env['DATABASE_URL'];
  const store: StoreLocation = databaseUrl
    ? { kind: 'postgres', url: databaseUrl }
    : { kind: 'sqlite', path: flags.db ?? env['HANDOVER_DB'] ?? 'handover.sqlite' };
  const config: Config = {
    host: flags.host ?? env['HANDOVER_HOST'] ?? '127.0.0.1',
    port: flags.port ?? integer(env, 'HANDOVER_PORT', 8080),
    store,
    ...adminToken(env),
    quota: {
      windowDays: integer(env, 'HANDOVER_QUOTA_WINDOW_DAYS', DEFAULT_TRANSFER_QUOTA.windowDays, 1),
      maxTransfers: integer(env, 'HANDOVER_QUOTA_MAX_TRANSFERS', DEFAULT_TRANSFER_QUOTA.maxTransfers, 1),
    },
    messageTemplate: env['HANDOVER_TRANSFER_MESSAGE_TEMPLATE'] || DEFAULT_TRANSFER_MESSAGE_TEMPLATE,
    copyRelationData: flag(env, 'HANDOVER_COPY_RELATION_DATA', true),
    resigned: {
      noticeTemplate: env['HANDOVER_RESIGNED_NOTICE_TEMPLATE'] || DEFAULT_RESIGNED_NOTICE_TEMPLATE,
      quota: flag(env, 'HANDOVER_RESIGNED_QUOTA', false),
    },
    rateLimit: {
      enabled: flag(env, 'HANDOVER_RATE_LIMIT', true),
      perMinute: integer(env, 'HANDOVER_RATE_LIMIT_PER_MINUTE', 10_000, 1),
      perHour: integer(env, 'HANDOVER_RATE_LIMIT_PER_HOUR', 150_000, 1),
    },
    engine: {
      enabled: flag(env, 'HANDOVER_ENGINE', true),
      pollMs: integer(env, 'HANDOVER_ENGINE_POLL_MS', 1000, 10),
      batchSize: integer(env, 'HANDOVER_ENGINE_BATCH', 2000, 1),
    },
    delivery: {
      enabled: flag(env, 'HANDOVER_DELIVERY', true),
      pollMs: integer(env, 'HANDOVER_DELIVERY_POLL_MS', 500, 10),
      timeoutMs: integer(env, 'HANDOVER_CALLBACK_TIMEOUT_MS', 5000, 1),
      backoffSeconds: secondsList(env, 'HANDOVER_CALLBACK_BACKOFF', [5, 30, 120]),
      batchSize: integer(env, 'HANDOVER_DELIVERY_BATCH', 100, 1),
    },
    logLevel: env['HANDOVER_LOG_LEVEL'] ?? 'warn',
    http: {
      requestTimeoutMs: integer(env, 'HANDOVER_REQUEST_TIMEOUT_MS', 30_000, 100),
      keepAliveTimeoutMs: integer(env, 'HANDOVER_KEEP_ALIVE_TIMEOUT_MS', 72_000, 100),
    },
    groupChats: {
      limits: {
        windowDays: integer(env, 'HANDOVER_GROUP_QUOTA_WINDOW_DAYS', DEFAULT_GROUP_TRANSFER_LIMITS.windowDays, 1),
        maxOnjobTransfers: integer(env, 'HANDOVER_GROUP_QUOTA_MAX_TRANSFERS', DEFAULT_GROUP_TRANSFER_LIMITS.maxOnjobTransfers, 1),
        dailyPerOwner: integer(env, 'HANDOVER_GROUP_DAILY_LIMIT', DEFAULT_GROUP_TRANSFER_LIMITS.dailyPerOwner, 1),
      },
      inheritSeconds: integer(env, 'HANDOVER_GROUP_INHERIT_SECONDS', 60),
      callbacks: flag(env, 'HANDOVER_GROUP_CALLBACKS', true),
    },
    readCacheMb: integer(env, 'HANDOVER_READ_CACHE_MB', 64),
  };
  return deepFreeze(config);
}

function adminToken(env: Env): Pick<Config, 'adminToken' | 'adminTokenSource' | 'adminRemote'> {
  const adminRemote = flag(env, 'HANDOVER_ADMIN_REMOTE', false);
  const given = env['HANDOVER_ADMIN_TOKEN'];
  // 24 random bytes: 32 base64url characters, long enough for remote admin too.
  if (given === undefined || given === '') return { adminToken: randomBytes(24).toString('base64url'), adminTokenSource: 'generated', adminRemote };
  const min = adminRemote ? MIN_REMOTE_ADMIN_TOKEN_CHARS : MIN_ADMIN_TOKEN_CHARS;
  if ([...given].length < min) {
    throw new ConfigError(
      `HANDOVER_ADMIN_TOKEN is ${[...given].length} characters; it must be at least ${min}${adminRemote ? ' with HANDOVER_ADMIN_REMOTE=on' : ''} (unset it to get a random one)`,
    );
  }
  return { adminToken: given, adminTokenSource: 'env', adminRemote };
}

/** Credentials of `handover transfer` (issue 5): WECOM_CORPID and WECOM_SECRET; flags override them. */
export function transferCredentials(env: Env = process.env): { corpId?: string; secret?: string } {
  return {
    ...(env['WECOM_CORPID'] ? { corpId: env['WECOM_CORPID'] } : {}),
    ...(env['WECOM_SECRET'] ? { secret: env['WECOM_SECRET'] } : {}),
  };
}

function deepFreeze<T>(value: T): Readonly<T> {
  if (value && typeof value === 'object') {
    for (const inner of Object.values(value)) deepFreeze(inner);
    Object.freeze(value);
  }
  return value;
}
