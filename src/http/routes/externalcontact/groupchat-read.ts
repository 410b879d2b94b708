import type { FastifyInstance } from 'fastify';
import { getGroupChat, listGroupChats } from '../../../service/read-group-chats.js';
import { groupchatGetSchema, groupchatListSchema } from '../../../wire/json-schemas/groupchats.js';
import type { HttpDeps } from '../../deps.js';
import { registerWecomRoute } from '../../wecom-route.js';

/** `groupchat/list` and `groupchat/get` (behaviour §10.6): `customer_basic` or a group-transfer permission. */
export function registerGroupChatReadRoutes(app: FastifyInstance, deps: HttpDeps): void {
  registerWecomRoute(app, deps, {
    api: 'groupchatList',
    method: 'POST',
    family: 'groupchat_read',
    emptyFields: { group_chat_list: [] },
    schema: groupchatListSchema,
    handle: async (request, caller) => {
      const page = await listGroupChats(deps.ctx, caller!.app, request.body);
      return { group_chat_list: page.groupChatList, next_cursor: page.nextCursor };
    },
  });
  registerWecomRoute(app, deps, {
    api: 'groupchatGet',
    method: 'POST',
    family: 'groupchat_read',
    emptyFields: {},
    schema: groupchatGetSchema,
    handle: async (request, caller) => ({ group_chat: await getGroupChat(deps.ctx, caller!.app, request.body) }),
  });
}
