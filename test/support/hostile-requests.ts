/**
 * A seeded, deterministic generator of bad requests for every WeCom and admin route (issue 11): bad JSON,
 * wrong types, huge strings, deep nesting, lone surrogates, NUL, `__proto__` keys, 101 ids, bodies near and
 * over 1 MiB, odd methods and Content-Types, repeated query keys. Every request it makes must be refused or
 * be a read: none may change state, so a suite can compare the admin export before and after.
 */

/** One route. `fields` are the body (or query, for GET) fields it reads; `base` a body that changes nothing. */
export interface HostileRoute {
  family: 'wecom' | 'admin';
  method: 'GET' | 'POST' | 'PUT' | 'PATCH';
  /** `:name` segments are filled from `pathValues` (or hostile ids). */
  path: string;
  fields: readonly string[];
  /** A well-formed body the route refuses or only reads (the takeover `dave` is not activated: 41054). */
  base?: Record<string, unknown>;
  /** Path parameter values that name nothing this suite could change. */
  pathValues?: Record<string, readonly string[]>;
  /**
   * A member appended to every JSON body (last, so it wins over a repeated key) that the route always
   * refuses: a route with optional fields would otherwise accept a body whose bad values happen to be valid.
   */
  poison?: string;
  /**
   * The route acts on any body it can parse (POST /admin/reset): only requests refused before the handler
   * (no or wrong token, unparsable body, bad Content-Type, oversize) are sent to it.
   */
  refusedOnly?: boolean;
}

/**
 * Every route the server has. New routes (resigned transfer, groups) go here: one line each.
 * Ids: alice follows the fixture's customers; dave is not activated, so no transfer to him starts.
 */
export function hostileRoutes(ids: { customer: string; agentid: number }): HostileRoute[] {
  const transfer = { handover_userid: 'alice', takeover_userid: 'dave', external_userid: [ids.customer] };
  return [
    { family: 'wecom', method: 'GET', path: '/cgi-bin/gettoken', fields: ['corpid', 'corpsecret'] },
    { family: 'wecom', method: 'POST', path: '/cgi-bin/externalcontact/transfer_customer', fields: ['handover_userid', 'takeover_userid', 'external_userid', 'transfer_success_msg'], base: transfer },
    { family: 'wecom', method: 'POST', path: '/cgi-bin/externalcontact/transfer_result', fields: ['handover_userid', 'takeover_userid', 'cursor'], base: { handover_userid: 'alice', takeover_userid: 'bob' } },
    { family: 'wecom', method: 'GET', path: '/cgi-bin/externalcontact/list', fields: ['userid'] },
    { family: 'wecom', method: 'GET', path: '/cgi-bin/externalcontact/get', fields: ['external_userid', 'cursor'] },
    { family: 'wecom', method: 'POST', path: '/cgi-bin/externalcontact/batch/get_by_user', fields: ['userid_list', 'cursor', 'limit'], base: { userid_list: ['alice'] } },
    { family: 'wecom', method: 'GET', path: '/cgi-bin/externalcontact/get_follow_user_list', fields: [] },
    // Resigned family and the deprecated pair: alice has not resigned and dave is not activated, so nothing starts.
    { family: 'wecom', method: 'POST', path: '/cgi-bin/externalcontact/get_unassigned_list', fields: ['page_id', 'page_size', 'cursor'], base: { page_size: 10 } },
    { family: 'wecom', method: 'POST', path: '/cgi-bin/externalcontact/resigned/transfer_customer', fields: ['handover_userid', 'takeover_userid', 'external_userid'], base: transfer },
    { family: 'wecom', method: 'POST', path: '/cgi-bin/externalcontact/resigned/transfer_result', fields: ['handover_userid', 'takeover_userid', 'cursor'], base: { handover_userid: 'alice', takeover_userid: 'bob' } },
    { family: 'wecom', method: 'POST', path: '/cgi-bin/externalcontact/transfer', fields: ['handover_userid', 'takeover_userid', 'external_userid'], base: { ...transfer, external_userid: ids.customer } },
    { family: 'wecom', method: 'POST', path: '/cgi-bin/externalcontact/get_transfer_result', fields: ['handover_userid', 'takeover_userid', 'external_userid'], base: { handover_userid: 'alice', takeover_userid: 'bob', external_userid: ids.customer } },
    // Customer groups: no group is named wrNope, and dave could not own one.
    { family: 'wecom', method: 'POST', path: '/cgi-bin/externalcontact/groupchat/list', fields: ['status_filter', 'owner_filter', 'cursor', 'limit'], base: { limit: 10 } },
    { family: 'wecom', method: 'POST', path: '/cgi-bin/externalcontact/groupchat/get', fields: ['chat_id', 'need_name'], base: { chat_id: 'wrNope' } },
    { family: 'wecom', method: 'POST', path: '/cgi-bin/externalcontact/groupchat/onjob_transfer', fields: ['chat_id_list', 'new_owner'], base: { chat_id_list: ['wrNope'], new_owner: 'dave' } },
    { family: 'wecom', method: 'POST', path: '/cgi-bin/externalcontact/groupchat/transfer', fields: ['chat_id_list', 'new_owner'], base: { chat_id_list: ['wrNope'], new_owner: 'dave' } },
    { family: 'admin', method: 'GET', path: '/admin/fixtures', fields: [] },
    { family: 'admin', method: 'POST', path: '/admin/fixtures', fields: ['corps'] },
    { family: 'admin', method: 'POST', path: '/admin/reset', fields: [], refusedOnly: true },
    { family: 'admin', method: 'GET', path: '/admin/clock', fields: [] },
    { family: 'admin', method: 'POST', path: '/admin/clock', fields: ['advance_seconds', 'set', 'freeze'], poison: '"advance_seconds":"poison"' },
    { family: 'admin', method: 'POST', path: '/admin/customers/:id/refuse', fields: [], pathValues: { id: [ids.customer, 'wmNope'] } },
    { family: 'admin', method: 'GET', path: '/admin/customers/:id/messages', fields: ['corpid'], pathValues: { id: [ids.customer] } },
    { family: 'admin', method: 'GET', path: '/admin/events', fields: ['corpid', 'status', 'after_id', 'limit'] },
    { family: 'admin', method: 'POST', path: '/admin/faults', fields: ['path', 'errcode', 'count'], poison: '"errcode":0' },
    { family: 'admin', method: 'PATCH', path: '/admin/members/:userid', fields: ['name', 'activated', 'real_name_verified', 'customer_contact_enabled', 'last_login_at', 'customer_cap'], pathValues: { userid: ['carol', 'ghost'] }, poison: '"customer_cap":"poison"' },
    { family: 'admin', method: 'PUT', path: '/admin/apps/:agentid/callback', fields: ['url', 'token', 'encoding_aes_key'], poison: '"encoding_aes_key":1', pathValues: { agentid: [String(ids.agentid), '0', '-1', '1e3', '999999999999999999999'] } },
    { family: 'admin', method: 'GET', path: '/admin/transfers', fields: ['kind', 'status', 'after_id', 'limit', 'corpid', 'handover', 'takeover', 'customer', 'chat_id'] },
    { family: 'admin', method: 'POST', path: '/admin/members/:userid/resign', fields: ['dimission_time'], pathValues: { userid: ['victor', 'ghost'] }, poison: '"dimission_time":"poison"' },
    // Not under /admin/, but its answers are JSON like the admin API's (and it ignores the bearer token).
    { family: 'admin', method: 'GET', path: '/healthz', fields: [] },
    { family: 'admin', method: 'POST', path: '/admin/events/:id/redeliver', fields: [], pathValues: { id: ['1', '0', 'NaN', '-5', '9007199254740993'] } },
  ];
}

export interface HostileRequest {
  route: HostileRoute;
  kind: string;
  method: string;
  url: string;
  headers: Record<string, string>;
  body?: string;
}

/** mulberry32: a tiny seeded PRNG, so a failure names a seed and an index that replay it exactly. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const MiB = 1024 * 1024;

/** JSON texts of values no field accepts (each is refused by type, by content, or names nothing). */
const BAD_VALUES: readonly string[] = [
  'null', 'true', '0', '-1', '-0.5', '1e400', '9007199254740993', '"1"', '""', '[]', '{}', '[[]]', '{"a":{}}',
  '"\\u0000"', '"a\\u0000b"', '"\\ud800"', '"x\\udfffy"', '"\\ud800\\ud800"', '"\\uFEFF"', '"%00"', '"../../etc/passwd"',
  '"<xml>]]></xml>"', '"\'; DROP TABLE members; --"', '"\\u202e"', '{"__proto__":{"polluted":true}}', '{"constructor":{"prototype":{"polluted":true}}}',
  '["\\u0000"]', '["\\ud800"]', '[1,2,3]', '[null]', '[{}]', '"2026-13-45T99:99:99Z"', '"http://"', '"ftp://127.0.0.1/"', '"javascript:alert(1)"',
];

const UNPARSABLE: readonly string[] = [
  '{', 'NaN', '{"a":', '[1,2', '{"a":1}}', "{'a':1}", '\u0000', '\uFEFF{', 'undefined', '{"a":1,}', '--', '\u00ff\u00fe{', '{"a":"\\x"}', '"\\ud800', '{"a":01}',
];

const CONTENT_TYPES: readonly (string | undefined)[] = [
  undefined, 'application/json', 'application/json; charset=utf-8', 'text/plain', 'application/x-www-form-urlencoded', 'garbage/////',
  'multipart/form-data; boundary=x', 'application/json; charset=utf-16', ';;;', 'application/json, text/plain', 'a'.repeat(2000),
];

const ODD_METHODS: readonly string[] = ['PUT', 'DELETE', 'PATCH', 'OPTIONS', 'HEAD', 'PROPFIND', 'SEARCH', 'MKCOL'];

const QUERY_VALUES: readonly string[] = ['', '%00', '%ED%A0%80', '%E0%A4%A', '__proto__', 'a'.repeat(5000), '%25', '..%2F..', '1e400', '-1', '%FF%FE', '*', 'true'];

export interface GeneratorInput {
  seed: number;
  count: number;
  routes: readonly HostileRoute[];
  /** A live access_token of the wide app, and the admin bearer token. */
  accessToken: string;
  adminToken: string;
}

export function* hostileRequests(input: GeneratorInput): Generator<HostileRequest> {
  const random = seededRandom(input.seed);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)]!;
  const chance = (p: number) => random() < p;

  const badValue = (): string => {
    const roll = random();
    if (roll < 0.02) return JSON.stringify('x'.repeat(100_000 + Math.floor(random() * 100_000)));
    if (roll < 0.05) return nested(50 + Math.floor(random() * 5000));
    if (roll < 0.08) return JSON.stringify(Array.from({ length: pick([101, 1000]) }, (_, i) => `wmHostile${i}`));
    return pick(BAD_VALUES);
  };
  const nested = (depth: number) => (chance(0.5) ? `${'['.repeat(depth)}${']'.repeat(depth)}` : `${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}`);

  /** A JSON body: the route's base (if any) with some fields replaced by bad values, plus hostile keys. */
  const jsonBody = (route: HostileRoute): string => {
    const members: string[] = [];
    const replaced = new Set<string>();
    const fields = route.fields.length > 0 ? route.fields : ['x'];
    for (const field of fields) {
      if (chance(0.6)) {
        members.push(`${JSON.stringify(field)}:${badValue()}`);
        replaced.add(field);
      }
    }
    if (replaced.size === 0) {
      const field = pick(fields);
      members.push(`${JSON.stringify(field)}:${badValue()}`);
      replaced.add(field);
    }
    for (const [name, value] of Object.entries(route.base ?? {})) if (!replaced.has(name)) members.push(`${JSON.stringify(name)}:${JSON.stringify(value)}`);
    if (chance(0.2)) members.push(pick(['"__proto__":{"isAdmin":true}', '"constructor":{"prototype":{"x":1}}', '"\\u0000":1', '"\\ud800":"\\udc00"']));
    if (chance(0.1)) members.push(`${JSON.stringify(pick(fields))}:${badValue()}`); // a repeated key: the last one wins in JSON.parse
    if (route.poison) members.push(route.poison);
    return `{${members.join(',')}}`;
  };

  const fill = (route: HostileRoute): string =>
    route.path.replace(/:(\w+)/g, (_, name: string) => {
      const values = route.pathValues?.[name] ?? [];
      if (chance(0.25)) return pick(['%00', '%ED%A0%80', '__proto__', 'a'.repeat(600), '%2e%2e', '0x10', ' ', '%20']);
      return encodeURIComponent(pick(values));
    });

  const query = (route: HostileRoute): string => {
    const parts: string[] = [];
    if (route.family === 'wecom' && route.path !== '/cgi-bin/gettoken') {
      const roll = random();
      if (roll < 0.8) parts.push(`access_token=${input.accessToken}`);
      else if (roll < 0.85) parts.push(`access_token=${input.accessToken}`, `access_token=${pick(QUERY_VALUES)}`);
      else if (roll < 0.95) parts.push(`access_token=${pick(QUERY_VALUES)}`);
    }
    for (const field of route.method === 'GET' ? route.fields : []) {
      if (chance(0.7)) parts.push(`${field}=${pick(QUERY_VALUES)}`);
      if (chance(0.25)) parts.push(`${field}=${pick(QUERY_VALUES)}`); // repeated key
    }
    if (chance(0.15)) parts.push(`${pick(['__proto__', 'constructor', '%00', 'a[]', 'a[b]'])}=${pick(QUERY_VALUES)}`);
    return parts.length > 0 ? `?${parts.join('&')}` : '';
  };

  for (let index = 0; index < input.count; index++) {
    const route = pick(input.routes);
    const headers: Record<string, string> = {};
    let method: string = route.method;
    let kind: string;
    let body: string | undefined;
    const roll = random();
    if (route.refusedOnly) {
      kind = pick(['unparsable', 'unparsable', 'garbage-content-type', 'garbage-content-type', 'wrong-token', 'wrong-token', 'over-1MiB']);
    } else if (roll < 0.08) kind = 'odd-method';
    else if (roll < 0.1) kind = 'over-1MiB';
    else if (roll < 0.11) kind = 'near-1MiB';
    else if (roll < 0.3) kind = 'unparsable';
    else if (roll < 0.36) kind = 'garbage-content-type';
    else if (roll < 0.4 && route.family === 'admin') kind = 'wrong-token';
    else kind = 'bad-fields';

    if (kind === 'odd-method') method = pick(ODD_METHODS.filter((m) => m !== route.method));
    if (kind === 'unparsable') body = pick(UNPARSABLE);
    else if (kind === 'over-1MiB') body = `{"x":"${'y'.repeat(MiB)}"}`;
    else if (kind === 'near-1MiB') body = `{"x":${JSON.stringify('z'.repeat(MiB - 4096))},${jsonBody(route).slice(1)}`;
    else if (kind === 'garbage-content-type' || kind === 'wrong-token' || kind === 'bad-fields' || kind === 'odd-method') {
      body = route.method === 'GET' && kind === 'bad-fields' && chance(0.7) ? undefined : jsonBody(route);
    }
    // A body refused before the handler must still be refused when the route ignores bodies (reset).
    if (route.refusedOnly && kind === 'garbage-content-type') body = '{}';
    if (route.refusedOnly && kind === 'wrong-token') body = '{}';

    if (body !== undefined && method !== 'GET' && method !== 'HEAD') {
      const contentType = kind === 'garbage-content-type' ? pick(['garbage/////', ';;;', 'a'.repeat(2000), '/', 'text/']) : pick(CONTENT_TYPES);
      if (contentType !== undefined) headers['content-type'] = contentType;
    } else body = undefined;

    if (route.family === 'admin') {
      if (kind === 'wrong-token') {
        const token = pick(['', 'Bearer', `Bearer ${input.adminToken}x`, `Bearer ${input.adminToken.slice(1)}`, `bearer ${input.adminToken}`, `Bearer  ${input.adminToken}`, 'Basic Zm9vOmJhcg==']);
        if (token !== '') headers['authorization'] = token;
      } else headers['authorization'] = `Bearer ${input.adminToken}`;
    }
    yield { route, kind, method, url: `${fill(route)}${query(route)}`, headers, ...(body !== undefined ? { body } : {}) };
  }
}
