import {
  type GroupChatGetRequest,
  type GroupChatGetResponse,
  GROUPCHAT_LIST_MAX_LIMIT,
  type GroupChatListRequest,
  type GroupChatListResponse,
  type GroupChatStatus,
  type GroupChatTransferRequest,
  type GroupChatTransferResponse,
} from '../wire/group-chats.js';
import { ResignedMethods } from './resigned-methods.js';
import { pages } from './transport.js';

/** The customer-group family (behaviour §10.6); `WecomClient` has these methods. */
export class GroupchatMethods extends ResignedMethods {
  /**
   * One page of customer groups.
   *
   * @example
   * const page = await client.groupchatList({ status_filter: 1, owner_filter: { userid_list: ['zhangsan'] }, limit: 1000 });
   * // { group_chat_list: [{ chat_id: 'wr…', status: 1 }], next_cursor: '' }
   */
  groupchatList(request: GroupChatListRequest): Promise<GroupChatListResponse> {
    return this.post<GroupChatListResponse>('groupchatList', request, true);
  }

  /**
   * Every group matching the filters, page after page (1,000 per page).
   *
   * @example
   * for await (const { chat_id, status } of client.groupchats({ owners: ['zhangsan'], status: 1 })) console.log(chat_id, status);
   */
  groupchats(filter: { owners?: string[]; status?: GroupChatStatus; limit?: number } = {}): AsyncGenerator<GroupChatListResponse['group_chat_list'][number]> {
    const request: GroupChatListRequest = {
      limit: filter.limit ?? GROUPCHAT_LIST_MAX_LIMIT,
      ...(filter.status !== undefined ? { status_filter: filter.status } : {}),
      ...(filter.owners ? { owner_filter: { userid_list: filter.owners } } : {}),
    };
    return pages((cursor) => this.groupchatList({ ...request, cursor }), (page) => page.group_chat_list, (page) => page.next_cursor);
  }

  /**
   * One group's details; an unknown chat throws `WecomError` 40050.
   *
   * @example
   * const { group_chat } = await client.groupchatGet({ chat_id: 'wr…', need_name: 1 });
   * // group_chat.owner, group_chat.member_list[0].name, …
   */
  groupchatGet(request: GroupChatGetRequest): Promise<GroupChatGetResponse> {
    return this.post<GroupChatGetResponse>('groupchatGet', request, true);
  }

  /**
   * Gives up to 100 groups of in-service owners to `new_owner`, at once. Only failures come back (e.g.
   * 90502 owner resigned, 40128 two transfers in 90 days or 300 a day). Never resent after a network error
   * that may have reached the server: a second call would answer 90504 for groups the first one moved.
   *
   * @example
   * const { failed_chat_list } = await client.groupchatOnjobTransfer({ chat_id_list: ['wr1', 'wr2'], new_owner: 'lisi' });
   */
  groupchatOnjobTransfer(request: GroupChatTransferRequest): Promise<GroupChatTransferResponse> {
    return this.post<GroupChatTransferResponse>('groupchatOnjobTransfer', request, false);
  }

  /**
   * Gives up to 100 groups of resigned owners to `new_owner`: each is *in progress* (status 2) briefly,
   * then done (3). Only failures come back (90500 owner not resigned, 90507 in progress, 90508 done already).
   *
   * @example
   * const { failed_chat_list } = await client.groupchatTransfer({ chat_id_list: ['wr1'], new_owner: 'lisi' });
   */
  groupchatTransfer(request: GroupChatTransferRequest): Promise<GroupChatTransferResponse> {
    return this.post<GroupChatTransferResponse>('groupchatTransfer', request, false);
  }
}
