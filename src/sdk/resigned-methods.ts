import type { TransferResultEntry } from '../wire/transfer-result.js';
import {
  type GetUnassignedListRequest,
  type GetUnassignedListResponse,
  type ResignedTransferCustomerRequest,
  type ResignedTransferCustomerResponse,
  type ResignedTransferResultRequest,
  type ResignedTransferResultResponse,
  UNASSIGNED_LIST_MAX_PAGE_SIZE,
  type UnassignedInfo,
} from '../wire/resigned.js';
import { pages, WecomTransport } from './transport.js';
import { type PairRequest, wirePair } from './pair.js';

/** The resigned-member family (behaviour §10.2–10.5); `WecomClient` has these methods. */
export class ResignedMethods extends WecomTransport {
  /**
   * One page of customers of resigned members that nobody has taken over yet.
   *
   * @example
   * const page = await client.getUnassignedList({ cursor: '', page_size: 1000 });
   * // { info: [{ handover_userid: 'zhangsan', external_userid: 'wm…', dimission_time: 1795000000 }], is_last: false, next_cursor: '…' }
   */
  getUnassignedList(request: GetUnassignedListRequest = {}): Promise<GetUnassignedListResponse> {
    return this.post<GetUnassignedListResponse>('getUnassignedList', request, true);
  }

  /**
   * Every unassigned customer, page after page by cursor (1,000 per page); with `handover`, only that
   * resigned member's (the filter runs here: WeCom's API has none).
   *
   * @example
   * for await (const row of client.unassignedCustomers({ handover: 'zhangsan' })) ids.push(row.external_userid);
   */
  async *unassignedCustomers(options: { handover?: string; pageSize?: number } = {}): AsyncGenerator<UnassignedInfo> {
    const pageSize = options.pageSize ?? UNASSIGNED_LIST_MAX_PAGE_SIZE;
    const all = pages(
      (cursor) => this.getUnassignedList({ cursor, page_size: pageSize }),
      (page) => page.info,
      // A page without a cursor cannot be followed (only legacy page_id paging omits it).
      (page) => (page.is_last ? '' : page.next_cursor),
    );
    for await (const row of all) if (options.handover === undefined || row.handover_userid === options.handover) yield row;
  }

  /**
   * Starts up to 100 resigned transfers (no message: WeCom notifies the customer itself). Per-customer
   * codes are in `customer[]`; like `transferCustomer` it is never resent after a network error that may
   * have reached the server, nor after a busy answer that lists customers. `resignedTransferAll` batches.
   *
   * @example
   * const { customer } = await client.resignedTransferCustomer({ handover_userid: 'zhangsan', takeover_userid: 'lisi', external_userid: ['wm…'] });
   * // [{ external_userid: 'wm…', errcode: 0 }]: lisi takes over in 24 h unless the customer refuses
   */
  resignedTransferCustomer(request: ResignedTransferCustomerRequest): Promise<ResignedTransferCustomerResponse> {
    return this.post<ResignedTransferCustomerResponse>('resignedTransferCustomer', request, false);
  }

  resignedTransferResult(request: ResignedTransferResultRequest): Promise<ResignedTransferResultResponse> {
    return this.post<ResignedTransferResultResponse>('resignedTransferResult', request, true);
  }

  /**
   * Every resigned transfer of the pair (statuses 1–4), page after page.
   *
   * @example
   * for await (const entry of client.resignedTransferResults({ handover: 'zhangsan', takeover: 'lisi' })) console.log(entry.external_userid, entry.status);
   */
  resignedTransferResults(pair: PairRequest): AsyncGenerator<TransferResultEntry> {
    const request = wirePair(pair);
    return pages((cursor) => this.resignedTransferResult({ ...request, cursor }), (page) => page.customer, (page) => page.next_cursor);
  }
}
