import type { WecomResponse } from './envelope.js';

/** `GET /cgi-bin/gettoken?corpid=ID&corpsecret=SECRET` (behaviour §5.1). */
export interface GetTokenQuery {
  corpid: string;
  corpsecret: string;
}

export interface GetTokenResponse extends WecomResponse {
  /** Present only when errcode is 0. */
  access_token?: string;
  /** Seconds until the token expires (7200 for a fresh token, the remainder for a cached one). */
  expires_in?: number;
}

/** WeCom's nominal token lifetime in seconds. */
export const ACCESS_TOKEN_LIFETIME_SECONDS = 7200;
