import type { FastifyInstance } from 'fastify';
import type { GroupTransferKind } from '../../../domain/group-chat.js';
import type { GroupChatApiFamily } from '../../../domain/permissions.js';
import { transferGroupChats } from '../../../service/transfer-group-chats.js';
import type { ApiName } from '../../../wire/envelope.js';
import { groupchatOnjobTransferSchema, groupchatTransferSchema } from '../../../wire/json-schemas/groupchats.js';
import type { WecomRouteSchema } from '../../../wire/json-schemas/wecom.js';
import type { HttpDeps } from '../../deps.js';
import { registerWecomRoute } from '../../wecom-route.js';

const ROUTES: { api: ApiName; family: GroupChatApiFamily; kind: GroupTransferKind; schema: WecomRouteSchema }[] = [
  { api: 'groupchatOnjobTransfer', family: 'onjob_groupchat_transfer', kind: 'groupchat_onjob', schema: groupchatOnjobTransferSchema },
  { api: 'groupchatTransfer', family: 'resigned_groupchat_transfer', kind: 'groupchat_resigned', schema: groupchatTransferSchema },
];

/** `groupchat/onjob_transfer` and `groupchat/transfer` (behaviour §7.4–7.5, §10.6): failures only, `[]` when none. */
export function registerGroupChatTransferRoutes(app: FastifyInstance, deps: HttpDeps): void {
  for (const route of ROUTES) {
    registerWecomRoute(app, deps, {
      api: route.api,
      method: 'POST',
      family: route.family,
      emptyFields: { failed_chat_list: [] },
      schema: route.schema,
      handle: async (request, caller) => {
        const results = await transferGroupChats(deps.ctx, caller!.app, route.kind, request.body);
        return { failed_chat_list: results.filter((r) => r.errcode !== 0).map((r) => ({ chat_id: r.chatId, errcode: r.errcode, errmsg: r.errmsg })) };
      },
    });
  }
}
