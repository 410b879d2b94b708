import { Validator } from '@seriousme/openapi-schema-validator';
import { Ajv2020 } from 'ajv/dist/2020.js';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CORP, customerIds, SECRET } from '../support/company.js';
import { useHarness } from '../support/harness.js';
import { AnswerChecker } from '../support/openapi-answers.js';
import { appWithoutStore, registeredRoutes } from '../support/routes.js';
import { testBackends } from '../support/stores.js';

type Document = { openapi: string; paths: Record<string, Record<string, any>> };

const TRANSFER = '/cgi-bin/externalcontact/transfer_customer';
const openapiPath = (url: string) => url.replace(/:(\w+)/g, '{$1}');

/**
 * Routes that answer no JSON, so no JSON answer schema: the console's Server-Sent Events (documented as
 * `text/event-stream`) and its page and bundle files (HTML, JS, CSS for the browser, hidden from the
 * document). Every other route needs its schema.
 */
const NOT_JSON = new Set(['/admin/stream', '/console', '/console/', '/console/assets/:file', '/console/*']);

describe('the OpenAPI document (GET /openapi.json)', () => {
  let app: FastifyInstance;
  let document: Document;
  beforeAll(async () => {
    app = await appWithoutStore();
    document = (await app.inject({ method: 'GET', url: '/openapi.json' })).json();
  });
  afterAll(async () => {
    await app.close();
  });

  it('is a valid OpenAPI 3.1 document', async () => {
    const validator = new Validator();
    const result = await validator.validate(document as never);
    expect(result.errors ?? []).toEqual([]);
    expect(result.valid).toBe(true);
    expect(validator.version).toBe('3.1');
  });

  it('describes every registered route with its answer schema, and a request body for each POST/PUT/PATCH that takes one', () => {
    // A route missing here needs a `schema` (src/wire/json-schemas/): registerWecomRoute's `schema`, or adminRouteSchema.
    const missing = registeredRoutes(app)
      .filter(({ url }) => url !== '/openapi.json' && url !== '/docs' && !url.startsWith('/docs/') && !NOT_JSON.has(url))
      .flatMap(({ method, url }) => {
        const operation = document.paths[openapiPath(url)]?.[method.toLowerCase()];
        const success = operation?.responses?.['200']?.content?.['application/json']?.schema;
        const problems = [!operation && 'not in the document', operation && !success && 'no 200 answer schema'];
        const takesBody = method === 'PUT' || method === 'PATCH' || (method === 'POST' && !/\/(reset|refuse|redeliver)$/.test(url));
        if (operation && takesBody && url.startsWith('/admin/') && !operation.requestBody) problems.push('no request body schema');
        if (operation && url.startsWith('/cgi-bin/') && !operation.parameters?.some((p: any) => p.in === 'query')) problems.push('no query schema');
        return problems.filter(Boolean).map((problem) => `${method} ${url}: ${problem}`);
      });
    expect(missing).toEqual([]);
    for (const api of ['transfer_customer', 'transfer_result', 'batch/get_by_user']) {
      expect(document.paths[`/cgi-bin/externalcontact/${api}`]!['post'].requestBody, api).toBeDefined();
    }
  });

  it('is rendered at /docs by Swagger UI from assets the server itself serves (no network needed)', async () => {
    const page = await app.inject({ method: 'GET', url: '/docs' });
    expect(page.statusCode).toBe(200);
    expect(page.headers['content-type']).toMatch(/text\/html/);
    const assets = [...page.body.matchAll(/(?:src|href)="([^"]+)"/g)].map((m) => m[1]!);
    expect(assets.filter((a) => /^(https?:)?\/\//.test(a))).toEqual([]);
    expect(assets.some((a) => a.endsWith('swagger-ui-bundle.js'))).toBe(true);
    for (const asset of assets) {
      const answer = await app.inject({ method: 'GET', url: new URL(asset, 'http://local/docs/').pathname });
      expect(answer.statusCode, asset).toBe(200);
    }
    const initializer = await app.inject({ method: 'GET', url: '/docs/static/swagger-initializer.js' });
    expect(initializer.body).toContain('json');
  });
});

describe('the answer checker the suites use', () => {
  it('refuses answers the document does not describe', async () => {
    const app = await appWithoutStore();
    const checker = new AnswerChecker((await app.inject({ method: 'GET', url: '/openapi.json' })).json());
    await app.close();
    expect(checker.check('POST', `${TRANSFER}?access_token=x`, 200, { errcode: 0, errmsg: 'ok', customer: [] })).toBe(true);
    expect(() => checker.check('POST', TRANSFER, 200, { errcode: 0, errmsg: 'ok' })).toThrow(/customer/);
    expect(() => checker.check('POST', TRANSFER, 200, { errcode: 0, errmsg: 'ok', customer: [], extra: 1 })).toThrow(/additional/);
    expect(() => checker.check('POST', TRANSFER, 200, { errcode: '0', errmsg: 'ok', customer: [] })).toThrow(/integer/);
    expect(() => checker.check('POST', TRANSFER, 500, { errcode: 0, errmsg: 'ok', customer: [] })).toThrow(/does not document/);
    expect(checker.check('POST', '/cgi-bin/externalcontact/nothing_here', 200, {})).toBe(false);
    expect(checker.check('POST', '/admin/customers/wm1/refuse', 404, { error: { field: 'external_userid', message: 'no customer wm1' } })).toBe(true);
    expect(() => checker.check('POST', '/admin/customers/wm1/refuse', 404, { message: 'no' })).toThrow(/error/);
  });
});

describe.each(await testBackends())('every route answers as the document says, on %s', (backend) => {
  // Every call below goes through the test server's helpers, which check each answer against /openapi.json.
  const h = useHarness(backend);
  const ids = customerIds(3);

  it('WeCom routes, on success and on error', async () => {
    const { server } = h;
    const before = { access_token: await h.token() };
    expect((await server.wecom('GET', '/cgi-bin/gettoken', { query: { corpid: CORP, corpsecret: SECRET } })).errcode).toBe(0);
    expect((await server.wecom('GET', '/cgi-bin/gettoken', { query: { corpid: CORP, corpsecret: 'wrong' } })).errcode).toBe(40001);

    const started = await h.transfer({ handover_userid: 'alice', takeover_userid: 'bob', external_userid: [...ids, 'wmNobody', ids[0]!] });
    expect(started.customer.map((c: any) => c.errcode)).toEqual([0, 0, 0, 40096, 40129]);
    expect((await h.transfer({ handover_userid: 'alice', takeover_userid: 'alice', external_userid: ids })).errcode).toBe(40130);
    expect((await server.wecom('GET', TRANSFER, { query: before })).errcode).toBe(40058);
    expect((await server.wecom('POST', TRANSFER, { query: { access_token: 'nope' }, body: {} })).errcode).toBe(40014);

    expect((await h.transferResult('alice', 'bob')).customer).toHaveLength(3);
    expect((await h.transferResult('alice', 'nobody')).errcode).toBe(40003);
    await h.advance(86_400);
    expect((await h.transferResult('alice', 'bob')).customer.map((c: any) => c.status)).toEqual([1, 1, 1]);

    const query = { access_token: await h.token() }; // the day that passed expired the first token
    expect((await server.wecom('GET', '/cgi-bin/externalcontact/get_follow_user_list', { query })).follow_user).toContain('alice');
    expect((await server.wecom('GET', '/cgi-bin/externalcontact/get_follow_user_list', {})).errcode).toBe(41001);
    expect((await server.wecom('GET', '/cgi-bin/externalcontact/list', { query: { ...query, userid: 'bob' } })).external_userid).toContain(ids[0]);
    expect((await server.wecom('GET', '/cgi-bin/externalcontact/list', { query: { ...query, userid: 'carol' } })).errcode).toBe(84061);
    const contact = await server.wecom('GET', '/cgi-bin/externalcontact/get', { query: { ...query, external_userid: 'wmShared' } });
    expect(contact.external_contact.corp_name).toBe('ACME');
    expect((await server.wecom('GET', '/cgi-bin/externalcontact/get', { query: { ...query, external_userid: 'wmNobody' } })).errcode).toBe(40096);
    const batch = await server.wecom('POST', '/cgi-bin/externalcontact/batch/get_by_user', { query, body: { userid_list: ['alice', 'bob'], limit: 2 } });
    expect(batch.external_contact_list).toHaveLength(2);
    expect(batch.next_cursor).not.toBe('');
    expect((await server.wecom('POST', '/cgi-bin/externalcontact/batch/get_by_user', { query, body: { userid_list: ['nobody'] } })).errcode).toBe(40003);
  });

  it('admin routes, on success and on error', async () => {
    const { server } = h;
    const status = async (method: string, path: string, body?: unknown) => {
      try {
        await server.admin(method, path, body);
        return 200;
      } catch (error) {
        return Number(/ → (\d{3}) /.exec(String(error))?.[1]);
      }
    };
    const fixture = await server.admin('GET', '/admin/fixtures');
    expect(await server.admin('POST', '/admin/fixtures', fixture)).toMatchObject({ corps: 1 });
    expect(await status('POST', '/admin/fixtures', { corps: 'no' })).toBe(400);
    expect((await server.admin('GET', '/admin/clock')).frozen).toBe(false);
    expect(await server.admin('POST', '/admin/clock', { freeze: true })).toMatchObject({ frozen: true, completed_takeovers: 0 });
    expect(await status('POST', '/admin/clock', { advance_seconds: 'soon' })).toBe(400);
    expect((await h.transfer({ handover_userid: 'alice', takeover_userid: 'bob', external_userid: [ids[0]] })).customer[0].errcode).toBe(0);
    expect((await server.admin('GET', `/admin/customers/${ids[0]}/messages`)).messages).toHaveLength(1);
    expect(await status('GET', '/admin/customers/wmNobody/messages')).toBe(404);
    expect(await server.admin('POST', `/admin/customers/${ids[0]}/refuse`)).toMatchObject({ status: 3 });
    expect(await status('POST', `/admin/customers/${ids[0]}/refuse`)).toBe(409);
    expect((await server.admin('GET', '/admin/events')).events[0]).toMatchObject({ type: 'transfer_fail', agentid: null, status: 'undeliverable' });
    expect(await status('GET', '/admin/events?status=lost')).toBe(400);
    expect(await status('POST', '/admin/events/1/redeliver')).toBe(409);
    expect(await server.admin('PATCH', '/admin/members/bob', { customer_cap: 7 })).toMatchObject({ userid: 'bob', customer_cap: 7 });
    expect(await status('PATCH', '/admin/members/nobody', {})).toBe(404);
    expect(await server.admin('PUT', `/admin/apps/1000002/callback?corpid=${CORP}`, null)).toEqual({ corpid: CORP, agentid: 1000002, callback: null });
    expect(await status('PUT', '/admin/apps/1000002/callback', { url: 'ftp://x', token: 't', encoding_aes_key: 'k' })).toBe(400);
    expect(await server.admin('POST', '/admin/faults', { path: TRANSFER, errcode: 45009 })).toEqual({ path: TRANSFER, errcode: 45009, count: 1 });
    expect((await h.transfer({ handover_userid: 'alice', takeover_userid: 'bob', external_userid: [ids[1]] })).errcode).toBe(45009);
    expect(await status('POST', '/admin/faults', { path: '/elsewhere', errcode: -1 })).toBe(400);
    expect(await server.admin('POST', '/admin/reset')).toEqual({ ok: true });
  });

  it('accepts the requests its request schemas describe, and refuses with WeCom errcodes (never a 400) the ones they do not', async () => {
    const document: Document = await (await fetch(`${h.server.baseUrl}/openapi.json`)).json();
    const validBody = new Ajv2020({ strict: false }).compile(document.paths[TRANSFER]!['post'].requestBody.content['application/json'].schema);
    const good = { handover_userid: 'alice', takeover_userid: 'bob', external_userid: [ids[2]], transfer_success_msg: 'hi' };
    expect(validBody(good)).toBe(true);
    expect((await h.transfer(good)).errcode).toBe(0);
    const bad: [unknown, number][] = [
      [{ takeover_userid: 'bob', external_userid: ids }, 41009],
      [{ handover_userid: 'alice', takeover_userid: 'bob', external_userid: ids[0] }, 41035],
      [{ handover_userid: 'alice', takeover_userid: 'bob', external_userid: [] }, 41035],
      [{ handover_userid: 'alice', takeover_userid: 'bob', external_userid: customerIds(101) }, 40058],
      [{ handover_userid: 'alice', takeover_userid: 'bob', external_userid: ids, transfer_success_msg: '字'.repeat(201) }, 40058],
    ];
    for (const [body, errcode] of bad) {
      expect(validBody(body)).toBe(false);
      expect((await h.transfer(body)).errcode).toBe(errcode);
    }
  });
});
