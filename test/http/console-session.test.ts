import { describe, expect, it } from 'vitest';
import { useHarness } from '../support/harness.js';
import { TEST_ADMIN_TOKEN } from '../support/server.js';
import { testBackends } from '../support/stores.js';

interface Answer {
  status: number;
  json: any;
  headers: Headers;
}

async function call(baseUrl: string, method: string, path: string, headers: Record<string, string> = {}, body?: unknown): Promise<Answer> {
  const response = await fetch(`${baseUrl}${path}`, {
    method,
    headers: { ...headers, ...(body !== undefined ? { 'content-type': 'application/json' } : {}) },
    ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
  });
  const text = await response.text();
  return { status: response.status, json: text && response.headers.get('content-type')?.includes('json') ? JSON.parse(text) : text, headers: response.headers };
}

describe.each(await testBackends())('console session and CSRF on %s', (backend) => {
  const h = useHarness(backend);

  async function signIn(): Promise<{ cookie: string; csrf: string; setCookie: string }> {
    const answer = await call(h.server.baseUrl, 'POST', '/console/session', {}, { token: TEST_ADMIN_TOKEN });
    expect(answer.status).toBe(200);
    const setCookie = answer.headers.get('set-cookie')!;
    return { cookie: setCookie.split(';')[0]!, csrf: answer.json.csrf, setCookie };
  }

  const clockNow = async () => (await h.server.admin('GET', '/admin/clock')).now as string;

  it('signs in with the admin token into an HttpOnly, SameSite=Strict cookie, and refuses a wrong token', async () => {
    const wrong = await call(h.server.baseUrl, 'POST', '/console/session', {}, { token: `${TEST_ADMIN_TOKEN}x` });
    expect(wrong.status).toBe(401);
    expect(wrong.headers.get('set-cookie')).toBeNull();
    expect((await call(h.server.baseUrl, 'POST', '/console/session', {}, {})).status).toBe(401);
    const { setCookie, csrf } = await signIn();
    expect(setCookie).toMatch(/^handover_console=[\w-]+\.\d+\.[\w-]+; Path=\/; Max-Age=43200; HttpOnly; SameSite=Strict$/);
    expect(csrf).toMatch(/^[\w-]{43}$/);
  });

  it('lets the cookie read admin routes, and tells the console its CSRF token back', async () => {
    const { cookie, csrf } = await signIn();
    expect((await call(h.server.baseUrl, 'GET', '/admin/overview', { cookie })).status).toBe(200);
    expect((await call(h.server.baseUrl, 'GET', '/admin/overview')).status).toBe(401);
    expect((await call(h.server.baseUrl, 'GET', '/console/session', { cookie })).json).toEqual({ signed_in: true, csrf });
    expect((await call(h.server.baseUrl, 'GET', '/console/session')).json).toEqual({ signed_in: false });
  });

  it('refuses a forged or altered cookie', async () => {
    const { cookie } = await signIn();
    const [name, value] = cookie.split('=');
    const [nonce, expires, signature] = value!.split('.');
    for (const forged of [`${nonce}x.${expires}.${signature}`, `${nonce}.${Number(expires) + 1}.${signature}`, `${nonce}.${expires}`, 'garbage']) {
      expect((await call(h.server.baseUrl, 'GET', '/admin/overview', { cookie: `${name}=${forged}` })).status).toBe(401);
    }
  });

  it('refuses a state-changing call with the cookie but without the right CSRF header, and changes nothing', async () => {
    const { cookie, csrf } = await signIn();
    const before = await clockNow();
    await h.server.admin('POST', '/admin/clock', { freeze: true });
    const frozen = await clockNow();
    expect(frozen >= before).toBe(true);
    for (const headers of <Record<string, string>[]>[{ cookie }, { cookie, 'x-csrf-token': 'nope' }, { cookie, 'x-csrf-token': csrf, origin: 'https://evil.example' }]) {
      const answer = await call(h.server.baseUrl, 'POST', '/admin/clock', headers, { advance_seconds: 3600 });
      expect(answer.status).toBe(403);
      expect(answer.json.error.message).toMatch(/csrf|cross-site/i);
    }
    expect(await clockNow()).toBe(frozen);
    const ok = await call(h.server.baseUrl, 'POST', '/admin/clock', { cookie, 'x-csrf-token': csrf, origin: h.server.baseUrl }, { advance_seconds: 3600 });
    expect(ok.status).toBe(200);
    expect(Date.parse(await clockNow()) - Date.parse(frozen)).toBe(3_600_000);
  });

  it('keeps the bearer token working without any CSRF header (scripts and SDK tests)', async () => {
    const answer = await call(h.server.baseUrl, 'POST', '/admin/clock', { authorization: `Bearer ${TEST_ADMIN_TOKEN}` }, { freeze: true });
    expect(answer.status).toBe(200);
  });

  it('signs out only with the CSRF header, by expiring the cookie', async () => {
    const { cookie, csrf } = await signIn();
    expect((await call(h.server.baseUrl, 'DELETE', '/console/session', { cookie })).status).toBe(403);
    const out = await call(h.server.baseUrl, 'DELETE', '/console/session', { cookie, 'x-csrf-token': csrf });
    expect(out.status).toBe(200);
    expect(out.headers.get('set-cookie')).toMatch(/^handover_console=; Path=\/; Max-Age=0; HttpOnly; SameSite=Strict$/);
  });

  it('serves the bundled app at /console and its assets, nothing else from disk', async () => {
    const page = await call(h.server.baseUrl, 'GET', '/console');
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(page.json).toContain('/console/assets/app.js');
    expect((await call(h.server.baseUrl, 'GET', '/console/customers/wm1')).json).toContain('/console/assets/app.js');
    const script = await call(h.server.baseUrl, 'GET', '/console/assets/app.js');
    expect(script.status).toBe(200);
    expect(script.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
    for (const path of ['/console/assets/nope.js', '/console/assets/..%2Fpackage.json', '/console/assets/index.html']) {
      expect((await call(h.server.baseUrl, 'GET', path)).status).toBe(404);
    }
  });
});
