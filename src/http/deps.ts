import type { RateLimiter } from '../domain/rate-limit.js';
import type { AnswerCache } from './answer-cache.js';
import type { CallbackVerifier } from '../service/callback-ports.js';
import type { ServiceContext } from '../service/context.js';
import type { FaultInjector } from '../service/faults.js';

/** What the HTTP layer needs from the rest of the server; compose.ts provides it. */
export interface HttpDeps {
  ctx: ServiceContext;
  faults: FaultInjector;
  /** null when rate limiting is switched off. */
  rateLimiter: RateLimiter | null;
  admin: { token: string; allowRemote: boolean };
  /** Verifies a callback URL before PUT /admin/apps/{agentid}/callback saves it. */
  callbackVerifier: CallbackVerifier;
  /** Read answers by store change version (issue 13); absent or null: every read is answered uncached. */
  answers?: AnswerCache | null;
}
