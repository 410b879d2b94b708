import type { FastifyInstance } from 'fastify';
import { ServerClock, systemTime } from './clock.js';
import type { Config } from './config.js';
import { RateLimiter } from './domain/rate-limit.js';
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

export interface Server {
  app: FastifyInstance;
  ctx: ServiceContext;
  /** Listens and starts the background loops; resolves to the bound address. */
  start(): Promise<string>;
  stop(): Promise<void>;
}

/** Builds the object graph from a config. Contains no logic of its own. */
export async function composeServer(config: Readonly<Config>, options: { realNow?: () => number } = {}): Promise<Server> {
  const store = await openStore(config.store);
  const realNow = options.realNow ?? systemTime;
  const ctx: ServiceContext = { store, clock: new ServerClock(store, realNow), config, cache: new GenerationCache() };
  const callbacks = wecomCallbacks({ timeoutMs: config.delivery.timeoutMs, backoffSeconds: config.delivery.backoffSeconds, realNow });
  const app = buildApp(
    {
      ctx,
      faults: new FaultInjector(),
      rateLimiter: config.rateLimit.enabled ? new RateLimiter(config.rateLimit.perMinute, config.rateLimit.perHour) : null,
      admin: { token: config.adminToken, allowRemote: config.adminRemote },
      callbackVerifier: callbacks.verifier,
    },
    { logLevel: config.logLevel },
  );
  const loops: PollingLoop[] = [];
  if (config.engine.enabled) {
    loops.push(
      new PollingLoop(async () => (await completeDueTakeovers(ctx, config.engine.batchSize)).length, config.engine.batchSize, config.engine.pollMs, {
        onError: (error) => app.log.error({ err: error }, 'takeover engine batch failed; retrying'),
      }),
      new PollingLoop(() => completeDueGroupInheritances(ctx, config.engine.batchSize), config.engine.batchSize, config.engine.pollMs, {
        onError: (error) => app.log.error({ err: error }, 'group inheritance batch failed; retrying'),
      }),
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
      new PollingLoop(() => deliverDueEvents(ctx, callbacks.sender, policy), config.delivery.batchSize, config.delivery.pollMs, {
        onError: (error) => app.log.error({ err: error }, 'callback delivery round failed; retrying'),
      }),
    );
  }
  return {
    app,
    ctx,
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
