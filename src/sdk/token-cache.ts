import type { GetTokenResponse } from '../wire/gettoken.js';

/** Refresh this long before the server says the token expires, so no call races the expiry. */
const REFRESH_MARGIN_MS = 5 * 60 * 1000;

export interface CachedToken {
  token: string;
  /** When to fetch again: 5 min before expiry, or half-way for a token that has less than that left. */
  refreshAt: number;
}

/**
 * Caches one app's access_token until shortly before it expires; however many calls wait for a token,
 * exactly one gettoken is in flight (WeCom throttles apps that call gettoken too often, behaviour §5.1).
 */
export class TokenCache {
  private current: CachedToken | null = null;
  private refreshing: Promise<string> | null = null;

  constructor(
    private readonly fetchToken: () => Promise<GetTokenResponse>,
    private readonly now: () => number = () => Date.now(),
  ) {}

  async get(): Promise<string> {
    if (this.current && this.now() < this.current.refreshAt) return this.current.token;
    return this.refresh();
  }

  /** Forget the token (the server said it is invalid or expired); the next get() fetches a new one. */
  invalidate(token?: string): void {
    if (token === undefined || this.current?.token === token) this.current = null;
  }

  private refresh(): Promise<string> {
    if (!this.refreshing) {
      this.refreshing = (async () => {
        try {
          const answer = await this.fetchToken();
          const lifetimeMs = (answer.expires_in ?? 7200) * 1000;
          // WeCom hands out the same token until it expires, with expires_in counting down; a nearly expired
          // one is used for half its remaining life, so refetching never turns into a loop.
          const refreshIn = lifetimeMs > 2 * REFRESH_MARGIN_MS ? lifetimeMs - REFRESH_MARGIN_MS : lifetimeMs / 2;
          this.current = { token: answer.access_token!, refreshAt: this.now() + refreshIn };
          return this.current.token;
        } finally {
          this.refreshing = null;
        }
      })();
    }
    return this.refreshing;
  }
}
