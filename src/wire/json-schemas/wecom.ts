import { transferCustomerResponseSchema } from '../transfer-customer.js';
import { accessTokenQuery, arrayOf, integer, type JsonSchema, object, string, wecomAnswer } from './common.js';

/**
 * The request and answer schemas of every WeCom endpoint (behaviour §0, §2, §5.1, §6). Request schemas
 * document; the routes check requests themselves, with WeCom's own errcodes and check order (behaviour
 * §9.1), so Fastify never answers a 400 under /cgi-bin/ (see src/http/route-schema.ts).
 */
export interface WecomRouteSchema {
  summary: string;
  querystring: JsonSchema;
  body?: JsonSchema;
  response: JsonSchema;
}

export const userid = string('Member userid: 1–64 letters, digits, -, _, ., @.');
export const externalUserid = string('The customer\'s external_userid.');

const tag = object(
  { group_name: string(), tag_name: string(), type: { type: 'integer', enum: [1, 2, 3], description: '1 corp, 2 personal (no tag_id), 3 rule group' }, tag_id: string() },
  ['group_name', 'tag_name', 'type'],
);

const externalContact = object(
  {
    external_userid: externalUserid,
    name: string(),
    type: { type: 'integer', enum: [1, 2], description: '1 WeChat user, 2 WeCom user' },
    avatar: string(),
    gender: { type: 'integer', enum: [0, 1, 2] },
    unionid: string(),
    position: string(),
    corp_name: string(),
    corp_full_name: string(),
  },
  ['external_userid', 'name', 'type', 'avatar', 'gender'],
);

const followCommon = {
  userid,
  remark: string(),
  description: string(),
  createtime: integer('Unix seconds.'),
  remark_corp_name: string(),
  remark_mobiles: arrayOf(string()),
  oper_userid: string(),
  add_way: integer('202 = assigned by an admin or leader: how a completed transfer shows.'),
  state: string(),
};
const followRequired = ['userid', 'remark', 'description', 'createtime', 'remark_mobiles', 'oper_userid', 'add_way'];

const followUser = object({ ...followCommon, tags: arrayOf(tag) }, [...followRequired, 'tags']);
const followInfo = object({ ...followCommon, tag_id: arrayOf(string()) }, [...followRequired, 'tag_id']);

export const gettokenSchema: WecomRouteSchema = {
  summary: 'Get an access token (behaviour §5.1): the same token until it expires, one per app.',
  querystring: object({ corpid: string('Missing → 41002, unknown → 40013.'), corpsecret: string('Missing → 41004 (checked first), wrong → 40001.') }),
  response: wecomAnswer({}, { access_token: string(), expires_in: integer('Seconds left: 7200 for a new token.') }),
};

export const transferCustomerSchema: WecomRouteSchema = {
  summary: 'Start transferring customers of an in-service member (behaviour §0, §9.1): one result per id, in request order.',
  querystring: accessTokenQuery(),
  body: object(
    {
      handover_userid: userid,
      takeover_userid: userid,
      external_userid: { ...arrayOf(externalUserid), minItems: 1, maxItems: 100 },
      transfer_success_msg: { type: 'string', maxLength: 200, description: 'At most 200 code points; the configured default when absent.' },
    },
    ['handover_userid', 'takeover_userid', 'external_userid'],
  ),
  response: { ...transferCustomerResponseSchema, additionalProperties: false, description: 'HTTP 200 whatever the outcome; customer is [] on a whole-call error.' },
};

/** A transfer's status (behaviour §2): the in-service and resigned results and the deprecated call share it. */
export const transferStatus = { type: 'integer', enum: [1, 2, 3, 4, 5], description: '1 done, 2 waiting, 3 refused, 4 takeover full, 5 no record' };
export const takeoverTime = integer('Unix seconds; the future takeover for status 2; 0 for status 3.');

/** `transfer_result` and `resigned/transfer_result`: the latest transfer per customer of the pair, paged. */
export const transferResultAnswer = wecomAnswer(
  { customer: arrayOf(object({ external_userid: externalUserid, status: transferStatus, takeover_time: takeoverTime }, ['external_userid', 'status', 'takeover_time'])) },
  { next_cursor: string('"" on the last page.') },
);

/** Body of `transfer_result` and `resigned/transfer_result`. */
export const transferResultBody = object(
  { handover_userid: userid, takeover_userid: userid, cursor: string('Opaque; empty or absent for the first page.') },
  ['handover_userid', 'takeover_userid'],
);

export const transferResultSchema: WecomRouteSchema = {
  summary: 'Where each customer of a member pair stands (behaviour §2, §9.3), 1,000 per page.',
  querystring: accessTokenQuery(),
  body: transferResultBody,
  response: transferResultAnswer,
};

export const getFollowUserListSchema: WecomRouteSchema = {
  summary: 'Members with customer contact, in the app\'s visible range (behaviour §6.1).',
  querystring: accessTokenQuery(),
  response: wecomAnswer({ follow_user: arrayOf(userid) }),
};

export const listSchema: WecomRouteSchema = {
  summary: 'A member\'s customers (behaviour §6.2); 84061 when it has none.',
  querystring: accessTokenQuery({ userid }),
  response: wecomAnswer({ external_userid: arrayOf(externalUserid) }),
};

export const getSchema: WecomRouteSchema = {
  summary: 'One customer and the members following it (behaviour §6.3), 500 followers per page.',
  querystring: accessTokenQuery({ external_userid: externalUserid, cursor: string() }),
  response: wecomAnswer({ follow_user: arrayOf(followUser) }, { external_contact: externalContact, next_cursor: string('Only when more followers remain.') }),
};

export const batchGetByUserSchema: WecomRouteSchema = {
  summary: 'Customers of up to 100 members, paged (behaviour §6.4).',
  querystring: accessTokenQuery(),
  body: object({
    userid_list: { ...arrayOf(userid), minItems: 1, maxItems: 100 },
    userid: string('Older SDKs: one member, used when userid_list is absent (behaviour §10.7).'),
    cursor: string(),
    limit: { type: 'integer', minimum: 1, description: 'Default 50; larger than 100 is clamped to 100.' },
  }),
  response: wecomAnswer(
    { external_contact_list: arrayOf(object({ external_contact: externalContact, follow_info: followInfo }, ['external_contact', 'follow_info'])) },
    { next_cursor: string('"" when there is nothing more.') },
  ),
};
