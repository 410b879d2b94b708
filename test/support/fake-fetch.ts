import { WecomClient } from '../../src/sdk/client.js';

export type FetchHandler = (url: URL, body: any) => unknown;

/** A fetch that answers from a handler (or throws what it returns when that is an Error), recording each call. */
export function fakeFetch(handler: FetchHandler) {
  const calls: { path: string; body: any; token: string | null }[] = [];
  const impl = (async (input: string | URL | Request, init?: RequestInit) => {
    const url = new URL(String(input));
    const body = init?.body ? JSON.parse(String(init.body)) : undefined;
    calls.push({ path: url.pathname, body, token: url.searchParams.get('access_token') });
    const answer = await handler(url, body);
    if (answer instanceof Error) throw answer;
    return new Response(JSON.stringify(answer), { status: 200, headers: { 'content-type': 'application/json' } });
  }) as typeof fetch;
  return { impl, calls, count: (path: string) => calls.filter((c) => c.path.endsWith(path)).length };
}

export const networkError = (code: string) => Object.assign(new TypeError('fetch failed'), { cause: { code } });
export const tokenAnswer = (n = 1) => ({ errcode: 0, errmsg: 'ok', access_token: `TOKEN${n}`, expires_in: 7200 });
export const fakeClient = (fetch: typeof globalThis.fetch, attempts = 4) =>
  new WecomClient({ corpId: 'ww', secret: 's', baseUrl: 'http://wecom.test', fetch, retry: { attempts, baseDelayMs: 1, maxDelayMs: 2 } });
