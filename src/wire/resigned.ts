import type { WecomResponse } from './envelope.js';
import type { TransferCustomerResponse } from './transfer-customer.js';
import type { TransferResultRequest, TransferResultResponse } from './transfer-result.js';

/** `page_size` default and maximum of `get_unassigned_list` (larger values clamp, behaviour §10.2). */
export const UNASSIGNED_LIST_MAX_PAGE_SIZE = 1000;
/** `page_id × page_size` must stay under this (legacy paging, behaviour §10.2). */
export const UNASSIGNED_LIST_MAX_OFFSET = 50_000;

/**
 * Body of `POST /cgi-bin/externalcontact/get_unassigned_list` (behaviour §10.2). Page with `cursor`; the legacy
 * 0-based `page_id` is honoured only when `cursor` is absent (and then `next_cursor` is not answered).
 */
export interface GetUnassignedListRequest {
  cursor?: string;
  /** Default 1000, at most 1000; below 1 → 40058. */
  page_size?: number;
  /** @deprecated legacy 0-based page number; use `cursor`. */
  page_id?: number;
}

/** One unassigned (resigned member, customer) relation. */
export interface UnassignedInfo {
  handover_userid: string;
  external_userid: string;
  /** Unix seconds the member resigned. */
  dimission_time: number;
}

/** Ordered by `dimission_time` descending, then `handover_userid`, then `external_userid` (behaviour §10.2). */
export interface GetUnassignedListResponse extends WecomResponse {
  info: UnassignedInfo[];
  is_last: boolean;
  /** `""` on the last page; absent when paging by `page_id`. */
  next_cursor?: string;
}

/**
 * Body of `POST /cgi-bin/externalcontact/resigned/transfer_customer` (behaviour §10.3): up to 100 ids; there is
 * no `transfer_success_msg` (WeCom sends its own notice).
 */
export interface ResignedTransferCustomerRequest {
  handover_userid: string;
  takeover_userid: string;
  external_userid: string[];
}

/** Same shape as the in-service answer: one `customer[]` entry per requested id, in request order. */
export type ResignedTransferCustomerResponse = TransferCustomerResponse;

/** `POST /cgi-bin/externalcontact/resigned/transfer_result` (behaviour §10.5): as §9.3, resigned transfers only. */
export type ResignedTransferResultRequest = TransferResultRequest;
export type ResignedTransferResultResponse = TransferResultResponse;
