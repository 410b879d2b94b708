import { accessTokenQuery, arrayOf, integer, object, string, wecomAnswer } from './common.js';
import { userid, type WecomRouteSchema } from './wecom.js';

/** Schemas of the customer group APIs (behaviour §7.4–7.5, §10.6). Like wecom.ts: request schemas document, answers serialize. */

const chatId = string('The customer group\'s chat_id.');
const groupStatus = { type: 'integer', enum: [0, 1, 2, 3], description: '0 normal, 1 owner resigned, 2 inheritance in progress, 3 inherited' };

export const groupchatListSchema: WecomRouteSchema = {
  summary: 'Customer groups of the corp with their status (behaviour §10.6), in chat_id order, keyset-paged.',
  querystring: accessTokenQuery(),
  body: object(
    {
      status_filter: { type: 'integer', enum: [0, 1, 2, 3], description: '0 or absent: every group.' },
      owner_filter: object({ userid_list: arrayOf(userid) }),
      cursor: string('Opaque; empty or absent for the first page.'),
      limit: { type: 'integer', minimum: 1, maximum: 1000 },
    },
    ['limit'],
  ),
  response: wecomAnswer({ group_chat_list: arrayOf(object({ chat_id: chatId, status: groupStatus }, ['chat_id', 'status'])) }, { next_cursor: string('"" on the last page.') }),
};

const groupMember = object(
  {
    userid: string('A member\'s userid (type 1) or a customer\'s external_userid (type 2).'),
    type: { type: 'integer', enum: [1, 2], description: '1 member of the corp, 2 external customer' },
    join_time: integer('Unix seconds.'),
    join_scene: integer(),
    invitor: object({ userid }, ['userid']),
    group_nickname: string(),
    name: string('Only with need_name 1.'),
  },
  ['userid', 'type', 'join_time', 'join_scene', 'group_nickname'],
);

export const groupchatGetSchema: WecomRouteSchema = {
  summary: 'One customer group with its members (behaviour §10.6); 40050 for an unknown chat_id.',
  querystring: accessTokenQuery(),
  body: object({ chat_id: chatId, need_name: { type: 'integer', enum: [0, 1], description: '1: each member carries its name.' } }, ['chat_id']),
  response: wecomAnswer(
    {},
    {
      group_chat: object(
        {
          chat_id: chatId,
          name: string(),
          owner: userid,
          create_time: integer('Unix seconds.'),
          notice: string(),
          member_list: arrayOf(groupMember),
          admin_list: arrayOf(object({ userid }, ['userid'])),
        },
        ['chat_id', 'name', 'owner', 'create_time', 'notice', 'member_list', 'admin_list'],
      ),
    },
  ),
};

const transferBody = object(
  { chat_id_list: { ...arrayOf(chatId), minItems: 1, maxItems: 100 }, new_owner: userid },
  ['chat_id_list', 'new_owner'],
);
const transferAnswer = wecomAnswer(
  { failed_chat_list: arrayOf(object({ chat_id: chatId, errcode: integer(), errmsg: string() }, ['chat_id', 'errcode', 'errmsg']), 'Only the groups that failed; [] when none did.') },
);

export const groupchatOnjobTransferSchema: WecomRouteSchema = {
  summary: 'Give an in-service owner\'s groups to a new owner, at once (behaviour §7.4, §10.6).',
  querystring: accessTokenQuery(),
  body: transferBody,
  response: transferAnswer,
};

export const groupchatTransferSchema: WecomRouteSchema = {
  summary: 'Inherit a resigned owner\'s groups (behaviour §7.5, §10.6): in progress for 60 s of server clock, then inherited.',
  querystring: accessTokenQuery(),
  body: transferBody,
  response: transferAnswer,
};
