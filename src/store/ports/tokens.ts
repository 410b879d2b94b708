import type { IssuedToken } from '../../domain/token-rules.js';
import type { App } from '../../domain/types.js';

/** gettoken and the token check of every call (behaviour §5.1, §9.4). */
export interface TokensPort {
  corpExists(corpid: string): Promise<boolean>;
  findAppBySecret(corpid: string, secret: string): Promise<App | null>;
  getApp(corpid: string, agentid: number): Promise<App | null>;
  findLiveToken(corpid: string, agentid: number, now: number): Promise<IssuedToken | null>;
  findToken(token: string): Promise<IssuedToken | null>;
  insertToken(token: IssuedToken): Promise<void>;
  /** The clock went back from `previous` to `now`: tokens issued after `now`, or already expired at `previous`, die for good. */
  retireTokensAfterSetBack(now: number, previous: number): Promise<void>;
}
