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

export const iso = (description = 'ISO-8601 instant.') => ({ type: 'string', description });
export const corpidQuery = object({ corpid: string('Needed only when the id exists in several corps.') });

export const callback = object(
  { url: string(), token: { type: 'string', pattern: '^[A-Za-z0-9]{1,32}$' }, encoding_aes_key: { type: 'string', pattern: '^[A-Za-z0-9]{43}$' } },
  ['url', 'token', 'encoding_aes_key'],
);
export const permission = { type: 'string', enum: ['onjob_transfer', 'resigned_transfer', 'customer_basic', 'onjob_groupchat_transfer', 'resigned_groupchat_transfer'] };

export const fixtureTag = object(
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
/** Behaviour §10.1: set when the member resigned; absent (or null in a fixture) while in service. */
const dimissionTime = integer('Unix seconds the member resigned at; absent while in service.');

/** A corp's customer group (behaviour §10.6); instants in Unix seconds (ISO-8601 also read). */
const fixtureGroupChat = object(
  {
    chat_id: string(),
    name: string(),
    owner: string('A member of the corp.'),
    create_time: { type: ['integer', 'string'], description: 'Unix seconds or ISO-8601; default the server clock at load time.' },
    notice: string(),
    members: arrayOf(
      object(
        {
          userid: string(),
          type: { type: 'integer', enum: [1, 2], description: '1 member of the corp, 2 external customer' },
          join_time: { type: ['integer', 'string'], description: 'Unix seconds or ISO-8601.' },
          join_scene: integer('Default 1.'),
          invitor: string(),
          group_nickname: string(),
        },
        ['userid', 'type'],
      ),
    ),
    admins: arrayOf(string()),
    inherited: boolean('The resigned owner\'s inheritance completed (status 3).'),
  },
  ['chat_id', 'owner'],
);

/** An app as the fixture and the console's corps list give it. */
export const appFields = {
  agentid: integer(),
  secret: string(),
  kind: { type: 'string', enum: ['self_built', 'third_party'] },
  customer_contact_callable: boolean(),
  permissions: arrayOf(permission),
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
                ...appFields,
                visible_userids: arrayOf(string(), '["*"] for the whole corp.'),
                callback: { anyOf: [callback, { type: 'null' }] },
              },
              ['agentid', 'secret'],
            ),
          ),
          members: arrayOf(object({ userid: string(), ...memberFields, dimission_time: { anyOf: [dimissionTime, { type: 'null' }] } }, ['userid'])),
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
          groupchats: arrayOf(fixtureGroupChat),
        },
        ['corpid'],
      ),
    ),
  },
  ['corps'],
  'The fixture: loaded by serve --fixture and POST /admin/fixtures, produced by GET /admin/fixtures.',
);

export const clockState = { now: iso('The server clock.'), frozen: boolean() };

export const member = object({ corpid: string(), userid: string(), ...memberFields, dimission_time: dimissionTime }, ['corpid', 'userid', ...Object.keys(memberFields)]);

export const outboxEvent = object(
  {
    id: integer(),
    corpid: string(),
    agentid: { type: ['integer', 'null'], description: 'null when no app may receive the event (undeliverable).' },
    type: string('add_external_contact, del_external_contact, transfer_fail or change_external_chat.'),
    payload: { type: 'object', additionalProperties: { type: 'string' }, description: 'The event\'s own XML fields.' },
    status: { type: 'string', enum: ['pending', 'delivered', 'dead', 'undeliverable'] },
    attempts: integer(),
    last_error: { type: ['string', 'null'] },
    created_at: iso(),
  },
  ['id', 'corpid', 'agentid', 'type', 'payload', 'status', 'attempts', 'last_error', 'created_at'],
);

const TRANSFER_KINDS = ['onjob', 'resigned', 'groupchat_onjob', 'groupchat_resigned'] as const;
const nullableIso = { type: ['string', 'null'], description: 'ISO-8601 instant; null while it has not ended.' };

/** One row of GET /admin/transfers: customer kinds carry external_userid, group kinds chat_id. */
export const transferRecord = object(
  {
    id: integer(),
    kind: { type: 'string', enum: [...TRANSFER_KINDS] },
    corpid: string(),
    external_userid: string(),
    chat_id: string(),
    handover_userid: string(),
    takeover_userid: string(),
    status: integer('As transfer_result: 1 done, 2 waiting / in progress, 3 refused, 4 takeover full.'),
    started_at: iso(),
    due_at: iso(),
    ended_at: nullableIso,
    outcome: { type: 'string', enum: ['waiting', 'taken_over', 'refused', 'takeover_full', 'in_progress', 'done'] },
  },
  ['id', 'kind', 'corpid', 'handover_userid', 'takeover_userid', 'status', 'started_at', 'due_at', 'ended_at', 'outcome'],
);

export const customerMessage = object({ corpid: string(), external_userid: string(), from_userid: string(), content: string(), sent_at: iso() }, [
  'corpid',
  'external_userid',
  'from_userid',
  'content',
  'sent_at',
]);

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
        messages: arrayOf(customerMessage),
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
  resign: {
    summary: 'The member resigns (behaviour §10.1) at dimission_time, default now on the server clock; 409 while a transfer of it waits.',
    params: object({ userid: string() }, ['userid']),
    querystring: corpidQuery,
    body: object({ dimission_time: dimissionTime }),
    response: member,
  },
  transfers: {
    summary: 'Every accepted transfer, customer or group, any kind (behaviour §10.8), in id order, paged by after_id.',
    querystring: object({
      corpid: string(),
      kind: { type: 'string', enum: [...TRANSFER_KINDS] },
      status: string('1–4.'),
      handover: string(),
      takeover: string(),
      customer: string('external_userid (customer kinds).'),
      chat_id: string('chat_id (group kinds).'),
      after_id: string('Transfers with a larger id.'),
      limit: string('Default 100, at most 1000.'),
    }),
    response: object({ transfers: arrayOf(transferRecord) }, ['transfers']),
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
