import type {
  BatchGetByUserRequest,
  BatchGetByUserResponse,
  GetExternalContactResponse,
  GetFollowUserListResponse,
  ListExternalContactsResponse,
} from '../wire/contacts.js';
import type { TransferCustomerRequest, TransferCustomerResponse } from '../wire/transfer-customer.js';
import type { TransferResultEntry, TransferResultRequest, TransferResultResponse } from '../wire/transfer-result.js';
import type { BatchGetByUserSingleRequest, GetTransferResultRequest, GetTransferResultResponse, LegacyTransferRequest, LegacyTransferResponse } from '../wire/legacy.js';
import { GroupchatMethods } from './groupchat-methods.js';
import { type PairRequest, wirePair } from './pair.js';
import { pages } from './transport.js';

export type { WecomClientOptions } from './transport.js';

export type { TransferPair, PairRequest } from './pair.js';

/**
 * A typed client for the WeCom customer-inheritance APIs (in-service, resigned, customer groups, the older
 * calls), against real WeCom or handover. Resigned and group methods come from the classes it extends.
 *
 * @example
 * const client = new WecomClient({ corpId: 'ww…', secret: '…', baseUrl: 'http://127.0.0.1:8080' });
 * const answer = await client.transferCustomer({ handover_userid: 'zhangsan', takeover_userid: 'lisi', external_userid: ['wm…'] });
 * // answer.customer → [{ external_userid: 'wm…', errcode: 0 }]
 * for await (const entry of client.transferResults({ handover_userid: 'zhangsan', takeover_userid: 'lisi' })) console.log(entry.status);
 */
export class WecomClient extends GroupchatMethods {
  /** Starts up to 100 transfers; per-customer outcomes are in `customer[]` (0 = takeover in 24 h). */
  transferCustomer(request: TransferCustomerRequest): Promise<TransferCustomerResponse> {
    return this.post<TransferCustomerResponse>('transferCustomer', request, false);
  }

  transferResult(request: TransferResultRequest): Promise<TransferResultResponse> {
    return this.post<TransferResultResponse>('transferResult', request, true);
  }

  /**
   * Every record of the pair, page after page (1,000 per page). Takes `{ handover, takeover }` or the
   * wire names `{ handover_userid, takeover_userid }`.
   */
  transferResults(pair: PairRequest): AsyncGenerator<TransferResultEntry> {
    const request = wirePair(pair);
    return pages((cursor) => this.transferResult({ ...request, cursor }), (page) => page.customer, (page) => page.next_cursor);
  }

  /** The member's customers; a member without any answers 84061, returned here as an empty list. */
  async listExternalContacts(userid: string): Promise<string[]> {
    const answer = await this.authorized<ListExternalContactsResponse>('list', { method: 'GET', query: { userid }, idempotent: true, accept: [84061] });
    return answer.external_userid ?? [];
  }

  getExternalContact(externalUserid: string, cursor?: string): Promise<GetExternalContactResponse> {
    return this.authorized<GetExternalContactResponse>('get', { method: 'GET', query: { external_userid: externalUserid, cursor }, idempotent: true });
  }

  /**
   * One page of customers of up to 100 members; the older single-member form `{ userid }` (behaviour §10.7,
   * what wechatpy sends) works too.
   *
   * @example
   * const page = await client.batchGetByUser({ userid_list: ['zhangsan'], limit: 100 });
   * const same = await client.batchGetByUser({ userid: 'zhangsan', limit: 100 });
   */
  batchGetByUser(request: BatchGetByUserRequest | BatchGetByUserSingleRequest): Promise<BatchGetByUserResponse> {
    return this.post<BatchGetByUserResponse>('batchGetByUser', request, true);
  }

  batchGetByUserAll(request: Omit<BatchGetByUserRequest, 'cursor'> | Omit<BatchGetByUserSingleRequest, 'cursor'>): AsyncGenerator<BatchGetByUserResponse['external_contact_list'][number]> {
    return pages((cursor) => this.batchGetByUser({ ...request, ...(cursor ? { cursor } : {}) }), (page) => page.external_contact_list, (page) => page.next_cursor);
  }

  async getFollowUserList(): Promise<string[]> {
    return (await this.authorized<GetFollowUserListResponse>('getFollowUserList', { method: 'GET', idempotent: true })).follow_user;
  }

  /**
   * Deprecated `externalcontact/transfer`: one customer, in-service or resigned (WeCom decides by the
   * handover member). The customer's code is the whole answer's, so anything but 0 throws `WecomError`
   * (40100 = already being transferred). Never resent after a network error that may have reached the server.
   *
   * @deprecated WeCom no longer maintains it; use `transferCustomer` or `resignedTransferCustomer`.
   * @example
   * await client.transfer({ external_userid: 'wm…', handover_userid: 'zhangsan', takeover_userid: 'lisi' });
   */
  transfer(request: LegacyTransferRequest): Promise<LegacyTransferResponse> {
    return this.post<LegacyTransferResponse>('transfer', request, false);
  }

  /**
   * Deprecated `get_transfer_result`: the latest transfer of one customer by the pair, any kind.
   *
   * @deprecated use `transferResults` / `resignedTransferResults`.
   * @example
   * const { status, takeover_time } = await client.getTransferResult({ handover_userid: 'zhangsan', takeover_userid: 'lisi', external_userid: 'wm…' });
   * // status 5 = no transfer record
   */
  getTransferResult(request: GetTransferResultRequest): Promise<GetTransferResultResponse> {
    return this.post<GetTransferResultResponse>('getTransferResult', request, true);
  }
}
