import { adminError, arrayOf, boolean, integer, type JsonSchema, object, string } from './common.js';

/**
 * Schemas of the admin API (README "Admin API", behaviour §10.1, §10.8). Requests are checked by the
 * services, which name the offending field in a 4xx; these schemas document them and the answers.
 */
export interface AdminRouteSchema {
  summary: string;
  params?: JsonSchema;
  querystring?: JsonSchema;
  body?: JsonSchema;
  /** The success answer; every admin route also documents its 4xx/5xx error answer. */
  response: JsonSchema;
  status?: 200 | 201;
}

const iso = (description = 'ISO-8601 instant.') => ({ type: 'string', description });
const corpidQuery = object({ corpid: string('Needed only when the id exists in several corps.') });

const callback = object(
  { url: string(), token: { type: 'string', pattern: '^[A-Za-z0-9]{1,32}$' }, encoding_aes_key: { type: 'string', pattern: '^[A-Za-z0-9]{43}$' } },
  ['url', 'token', 'encoding_aes_key'],
);
const permission = { type: 'string', enum: ['onjob_transfer', 'resigned_transfer', 'customer_basic'] };

const fixtureTag = object(
  { group_name: string(), tag_name: string(), type: { type: 'integer', enum: [1, 2, 3] }, tag_id: string() },
  ['group_name', 'tag_name', 'type'],
);

/** A member's settable facts: in the fixture, in PATCH /admin/members/{userid} and in its answer. */
const memberFields = {
  name: string(),
  activated: boolean(),
  real_name_verified: boolean(),
  customer_contact_enabled: boolean(),
  last_login_at: iso(),
  customer_cap: integer('Default 5000.'),
};

const fixture = object(
  {
    corps: arrayOf(
      object(
        {
          corpid: string(),
          name: string(),
          apps: arrayOf(
            object(
              {
                agentid: integer(),
                secret: string(),
                kind: { type: 'string', enum: ['self_built', 'third_party'] },
                customer_contact_callable: boolean(),
                permissions: arrayOf(permission),
                visible_userids: arrayOf(string(), '["*"] for the whole corp.'),
                callback: { anyOf: [callback, { type: 'null' }] },
              },
              ['agentid', 'secret'],
            ),
          ),
          members: arrayOf(object({ userid: string(), ...memberFields }, ['userid'])),
          customers: arrayOf(
            object(
              {
                external_userid: string(),
                name: string(),
                type: { type: 'integer', enum: [1, 2] },
                corp_name: string(),
                corp_full_name: string(),
                position: string(),
                avatar: string(),
                gender: { type: 'integer', enum: [0, 1, 2] },
                unionid: string(),
              },
              ['external_userid', 'name'],
            ),
          ),
          relations: arrayOf(
            object(
              {
                userid: string(),
                external_userid: string(),
                remark: string(),
                description: string(),
                tags: arrayOf(fixtureTag),
                createtime: { type: ['integer', 'string'], description: 'Unix seconds or ISO-8601; exported as Unix seconds.' },
                add_way: integer(),
                state: string(),
                oper_userid: string(),
                remark_corp_name: string(),
                remark_mobiles: arrayOf(string()),
              },
              ['userid', 'external_userid'],
            ),
          ),
        },
        ['corpid'],
      ),
    ),
  },
  ['corps'],
  'The fixture: loaded by serve --fixture and POST /admin/fixtures, produced by GET /admin/fixtures.',
);

const clockState = { now: iso('The server clock.'), frozen: boolean() };

const member = object({ corpid: string(), userid: string(), ...memberFields }, ['corpid', 'userid', ...Object.keys(memberFields)]);

const outboxEvent = object(
  {
    id: integer(),
    corpid: string(),
    agentid: { type: ['integer', 'null'], description: 'null when no app may receive the event (undeliverable).' },
    type: string('add_external_contact, del_external_contact or transfer_fail.'),
    payload: { type: 'object', additionalProperties: { type: 'string' }, description: 'The event\'s own XML fields.' },
    status: { type: 'string', enum: ['pending', 'delivered', 'dead', 'undeliverable'] },
    attempts: integer(),
    last_error: { type: ['string', 'null'] },
    created_at: iso(),
  },
  ['id', 'corpid', 'agentid', 'type', 'payload', 'status', 'attempts', 'last_error', 'created_at'],
);

export const ADMIN_SCHEMAS = {
  exportFixture: { summary: 'Export the whole state as a fixture.', response: fixture },
  loadFixture: {
    summary: 'Load a fixture in one transaction: every corp it names is replaced, or nothing changes (up to 512 MiB).',
    body: fixture,
    response: object({ corps: integer(), customers: integer() }, ['corps', 'customers']),
  },
  reset: { summary: 'Empty everything; the clock returns to real time.', response: object({ ok: { type: 'boolean', const: true } }, ['ok']) },
  clockState: { summary: 'The server clock.', response: object(clockState, ['now', 'frozen']) },
  commandClock: {
    summary: 'Move, set or freeze the server clock; completes every takeover that fell due before answering.',
    body: { oneOf: [object({ advance_seconds: integer() }, ['advance_seconds']), object({ set: iso() }, ['set']), object({ freeze: boolean() }, ['freeze'])] },
    response: object({ ...clockState, completed_takeovers: integer() }, ['now', 'frozen', 'completed_takeovers']),
  },
  refuse: {
    summary: 'The customer refuses their waiting transfer (409 when none waits).',
    params: object({ external_userid: string() }, ['external_userid']),
    querystring: corpidQuery,
    response: object(
      { corpid: string(), external_userid: string(), handover_userid: string(), takeover_userid: string(), status: { type: 'integer', const: 3 } },
      ['corpid', 'external_userid', 'handover_userid', 'takeover_userid', 'status'],
    ),
  },
  messages: {
    summary: 'What the customer received (transfer messages).',
    params: object({ external_userid: string() }, ['external_userid']),
    querystring: corpidQuery,
    response: object(
      {
        messages: arrayOf(
          object({ corpid: string(), external_userid: string(), from_userid: string(), content: string(), sent_at: iso() }, [
            'corpid',
            'external_userid',
            'from_userid',
            'content',
            'sent_at',
          ]),
        ),
      },
      ['messages'],
    ),
  },
  events: {
    summary: 'The callback outbox, one row per recipient app, in id order.',
    querystring: object({
      corpid: string(),
      status: { type: 'string', enum: ['pending', 'delivered', 'dead', 'undeliverable'] },
      after_id: string('Rows with a larger id.'),
      limit: string(),
    }),
    response: object({ events: arrayOf(outboxEvent) }, ['events']),
  },
  faults: {
    summary: 'The next count calls to a /cgi-bin/ path answer this errcode, with nothing done (per process).',
    body: object({ path: { type: 'string', pattern: '^/cgi-bin/\\S+$' }, errcode: { type: 'integer', enum: [-1, 45009, 45033] }, count: integer() }, ['path', 'errcode']),
    response: object({ path: string(), errcode: integer(), count: integer() }, ['path', 'errcode', 'count']),
  },
  updateMember: {
    summary: 'Change a member while transfers wait; only the fields sent change.',
    params: object({ userid: string() }, ['userid']),
    querystring: corpidQuery,
    body: object(memberFields),
    response: member,
  },
  configureCallback: {
    summary: 'Set (after WeCom\'s URL verification; 422 when it fails) or remove (null) an app\'s callback.',
    params: object({ agentid: string('A positive integer.') }, ['agentid']),
    querystring: corpidQuery,
    body: { anyOf: [callback, { type: 'null' }] },
    response: object({ corpid: string(), agentid: integer(), callback: { anyOf: [callback, { type: 'null' }] } }, ['corpid', 'agentid', 'callback']),
  },
  redeliver: {
    summary: 'Send a dead (or delivered) callback again (409 otherwise).',
    params: object({ id: string('A positive integer.') }, ['id']),
    response: object({ id: integer(), status: { type: 'string', const: 'pending' } }, ['id', 'status']),
  },
} satisfies Record<string, AdminRouteSchema>;

/** Fastify `schema` of an admin route: the success answer and the error answers, behind the admin token. */
export function adminRouteSchema(route: AdminRouteSchema): Record<string, unknown> {
  const { summary, params, querystring, body, response, status = 200 } = route;
  return {
    summary,
    tags: ['admin'],
    security: [{ adminToken: [] }],
    ...(params ? { params } : {}),
    ...(querystring ? { querystring } : {}),
    ...(body ? { body } : {}),
    response: { [status]: response, '4xx': adminError, '5xx': adminError },
  };
}
