import { type AdminRouteSchema, adminRouteSchema, appFields, callback, clockState, corpidQuery, customerMessage, fixtureTag, iso, member, outboxEvent } from './admin.js';
import { arrayOf, boolean, integer, type JsonSchema, object, string } from './common.js';

/**
 * Schemas of the routes the web console adds (docs/console.md): its admin reads and its session. Like
 * admin.ts, they document; the services check input. `GET /admin/stream` (Server-Sent Events) and the
 * console's page and assets answer no JSON: test/http/openapi.test.ts lists them as such.
 */

const nullable = (schema: JsonSchema): JsonSchema => ({ anyOf: [schema, { type: 'null' }] });
const outcome = { type: 'string', enum: ['waiting', 'taken_over', 'refused', 'takeover_full', 'in_progress', 'done'] };

/** A customer transfer in GET /admin/transfers' shape (behaviour §10.8). */
const historyTransfer = object(
  {
    id: integer(),
    kind: string(),
    corpid: string(),
    external_userid: string(),
    chat_id: string(),
    handover_userid: string(),
    takeover_userid: string(),
    status: integer(),
    started_at: iso(),
    due_at: nullable(iso()),
    ended_at: nullable(iso()),
    outcome,
  },
  ['id', 'kind', 'corpid', 'handover_userid', 'takeover_userid', 'status', 'started_at', 'due_at', 'ended_at', 'outcome'],
);

const customerFields = {
  corpid: string(),
  external_userid: string(),
  name: string(),
  type: { type: 'integer', enum: [1, 2] },
  corp_name: nullable(string()),
  followers: arrayOf(string(), 'userids of the members following the customer.'),
  waiting: nullable(historyTransfer),
};
const customerRequired = Object.keys(customerFields);

const memberProperties = (member as { properties: Record<string, JsonSchema>; required: string[] }).properties;
const memberRequired = (member as { required: string[] }).required;

const session = object({ signed_in: boolean(), csrf: string('Send it back as x-csrf-token on every state-changing admin call.') }, ['signed_in']);

export const CONSOLE_SCHEMAS = {
  overview: {
    summary: 'Counts for the console\'s overview: corps, members, customers, transfers by kind and outcome, events by status, the clock.',
    response: object(
      {
        corps: integer(),
        members: integer(),
        customers: integer(),
        transfers: arrayOf(object({ kind: string(), outcome, count: integer() }, ['kind', 'outcome', 'count'])),
        events: { type: 'object', additionalProperties: { type: 'integer' }, description: 'Outbox rows by status.' },
        clock: object({ ...clockState, offset_seconds: integer('Server clock minus real time.') }, ['now', 'frozen', 'offset_seconds']),
      },
      ['corps', 'members', 'customers', 'transfers', 'events', 'clock'],
    ),
  },
  corps: {
    summary: 'Every corp with its apps (secrets included: the console gets tokens with them).',
    response: object(
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
                    callback: nullable(callback),
                  },
                  ['agentid', 'kind', 'secret', 'customer_contact_callable', 'permissions', 'callback'],
                ),
              ),
            },
            ['corpid', 'name', 'apps'],
          ),
        ),
      },
      ['corps'],
    ),
  },
  members: {
    summary: 'One page of a corp\'s members with their counters, in userid order.',
    querystring: object({ corpid: string(), after: string('The last userid of the previous page.'), limit: string('1–500, default 50.') }),
    response: object(
      {
        members: arrayOf(
          object({ ...memberProperties, customers: integer(), waiting_incoming: integer(), waiting_outgoing: integer() }, [
            ...memberRequired,
            'customers',
            'waiting_incoming',
            'waiting_outgoing',
          ]),
        ),
        next: nullable(string('Pass as after for the next page; null on the last.')),
      },
      ['members', 'next'],
    ),
  },
  customers: {
    summary: 'One page of a corp\'s customers, searchable by id start or name part, member and tag.',
    querystring: object({ corpid: string(), q: string(), member: string(), tag: string(), after: string(), limit: string() }),
    response: object({ customers: arrayOf(object(customerFields, customerRequired)), next: nullable(string()) }, ['customers', 'next']),
  },
  customerDetail: {
    summary: 'One customer: followers, every transfer, 90-day quota use, messages received.',
    params: object({ external_userid: string() }, ['external_userid']),
    querystring: corpidQuery,
    response: object(
      {
        ...customerFields,
        corp_full_name: nullable(string()),
        position: nullable(string()),
        follow: arrayOf(
          object({ userid: string(), remark: string(), description: string(), tags: arrayOf(fixtureTag), created_at: iso(), add_way: integer() }, [
            'userid',
            'remark',
            'description',
            'tags',
            'created_at',
            'add_way',
          ]),
        ),
        transfers: arrayOf(historyTransfer),
        quota: object(
          { window_days: integer(), max_transfers: integer(), used: integer(), left: integer(), next_frees_at: nullable(iso()) },
          ['window_days', 'max_transfers', 'used', 'left', 'next_frees_at'],
        ),
        messages: arrayOf(customerMessage),
      },
      [...customerRequired, 'corp_full_name', 'position', 'follow', 'transfers', 'quota', 'messages'],
    ),
  },
  eventDetail: {
    summary: 'One outbox row with the plaintext XML its receiver decrypts.',
    params: object({ id: string('A positive integer.') }, ['id']),
    response: object(
      { ...(outboxEvent as { properties: Record<string, JsonSchema> }).properties, xml: string() },
      [...(outboxEvent as { required: string[] }).required, 'xml'],
    ),
  },
  sessionState: { summary: 'Whether this browser is signed in to the console, with its CSRF token.', response: session },
  signIn: {
    summary: 'Sign in to the console with the admin token: sets the HttpOnly session cookie (401 for a wrong token).',
    body: object({ token: string('The admin token.') }, ['token']),
    response: session,
  },
  signOut: { summary: 'Sign out (with x-csrf-token when a session is open): clears the cookie.', response: session },
} satisfies Record<string, AdminRouteSchema>;

/** The console's session routes: the same documentation as admin routes, but open (they hand out the session). */
export function sessionRouteSchema(route: AdminRouteSchema): Record<string, unknown> {
  return { ...adminRouteSchema(route), tags: ['console'], security: [] };
}

/** `GET /admin/stream`: Server-Sent Events, documented as such (no JSON answer to check). */
export const STREAM_SCHEMA = {
  summary: 'Server-Sent Events: `event: change` with `data: {"version": n}` at once and whenever state changed, on any node; a comment every 15 s.',
  tags: ['admin'],
  security: [{ adminToken: [] }],
  response: { 200: { description: 'text/event-stream', content: { 'text/event-stream': { schema: { type: 'string' } } } } },
};

/** The console's page and bundle files: HTML, JS and CSS for the browser, left out of the API description. */
export const PAGE_SCHEMA = { hide: true };
