import type { FastifyInstance } from 'fastify';
import { ServerClock, systemTime } from './clock.js';
import type { Config } from './config.js';
import { RateLimiter } from './domain/rate-limit.js';
import { AnswerCache } from './http/answer-cache.js';
import { buildApp } from './http/app.js';
import { PollingLoop } from './scheduler/polling-loop.js';
import { wecomCallbacks } from './outbox/wecom-callbacks.js';
import { GenerationCache } from './service/generation-cache.js';
import { completeDueTakeovers } from './service/complete-takeovers.js';
import { completeDueGroupInheritances } from './service/complete-group-inheritances.js';
import { deliverDueEvents } from './service/deliver-events.js';
import type { ServiceContext } from './service/context.js';
import { FaultInjector } from './service/faults.js';
import { openStore } from './store/open-store.js';

/** What this process did since it started, for the line printed when it stops. */
export interface ServerStats {
  requests: number;
  takeovers: number;
  deliveries: number;
}

export interface Server {
  app: FastifyInstance;
  ctx: ServiceContext;
  /** The read-answer cache (issue 13); null with HANDOVER_READ_CACHE_MB=0. */
  answers: AnswerCache | null;
  stats: Readonly<ServerStats>;
  /** The background loops (null when switched off); tests wait on their rounds instead of sleeping. */
  loops: { engine: PollingLoop | null; groups: PollingLoop | null; delivery: PollingLoop | null };
  /** Listens and starts the background loops; resolves to the bound address. */
  start(): Promise<string>;
  stop(): Promise<void>;
}

/** Builds the object graph from a config. Contains no logic of its own. */
export async function composeServer(config: Readonly<Config>, options: { realNow?: () => number } = {}): Promise<Server> {
  const store = await openStore(config.store);
  const realNow = options.realNow ?? systemTime;
  const ctx: ServiceContext = { store, clock: new ServerClock(store, realNow), config, cache: new GenerationCache() };
  const answers = config.readCacheMb > 0 ? new AnswerCache(config.readCacheMb * 1024 * 1024) : null;
  const callbacks = wecomCallbacks({ timeoutMs: config.delivery.timeoutMs, backoffSeconds: config.delivery.backoffSeconds, realNow });
  const app = buildApp(
    {
      ctx,
      faults: new FaultInjector(),
      rateLimiter: config.rateLimit.enabled ? new RateLimiter(config.rateLimit.perMinute, config.rateLimit.perHour) : null,
      admin: { token: config.adminToken, allowRemote: config.adminRemote },
      callbackVerifier: callbacks.verifier,
      answers,
    },
    { logLevel: config.logLevel, timeouts: config.http },
  );
  const stats: ServerStats = { requests: 0, takeovers: 0, deliveries: 0 };
  app.addHook('onResponse', async () => void stats.requests++);
  const loops: PollingLoop[] = [];
  const named: Server['loops'] = { engine: null, groups: null, delivery: null };
  if (config.engine.enabled) {
    loops.push(
      (named.engine = new PollingLoop(async () => (await completeDueTakeovers(ctx, config.engine.batchSize)).length, config.engine.batchSize, config.engine.pollMs, {
        onRun: (count) => void (stats.takeovers += count),
        onError: (error) => app.log.error({ err: error }, 'takeover engine batch failed; retrying'),
      })),
      (named.groups = new PollingLoop(() => completeDueGroupInheritances(ctx, config.engine.batchSize), config.engine.batchSize, config.engine.pollMs, {
        onError: (error) => app.log.error({ err: error }, 'group inheritance batch failed; retrying'),
      })),
    );
  }
  if (config.delivery.enabled) {
    const policy = {
      batchSize: config.delivery.batchSize,
      timeoutMs: config.delivery.timeoutMs,
      retries: config.delivery.backoffSeconds.length,
      retryDelay: callbacks.retryDelay,
      concurrency: 16,
    };
    loops.push(
      (named.delivery = new PollingLoop(() => deliverDueEvents(ctx, callbacks.sender, policy), config.delivery.batchSize, config.delivery.pollMs, {
        onRun: (count) => void (stats.deliveries += count),
        onError: (error) => app.log.error({ err: error }, 'callback delivery round failed; retrying'),
      })),
    );
  }
  return {
    app,
    ctx,
    answers,
    stats,
    loops: named,
    async start() {
      const address = await app.listen({ port: config.port, host: config.host });
      for (const loop of loops) loop.start();
      return address;
    },
    async stop() {
      for (const loop of loops) await loop.stop();
      await app.close();
      await store.close();
    },
  };
}
