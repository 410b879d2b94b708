import type { WecomResponse } from './envelope.js';
import type { TransferStatus } from './transfer-result.js';

/**
 * `batch/get_by_user` with the older single `userid` (used when `userid_list` is absent).
 * Answered as `BatchGetByUserResponse`.
 */
export interface BatchGetByUserSingleRequest {
  userid: string;
  cursor?: string;
  limit?: number;
}

/**
 * Deprecated `POST /cgi-bin/externalcontact/transfer`: one customer, in-service or resigned (decided by the
 * handover member). An array `external_userid` → 41035.
 */
export interface LegacyTransferRequest {
  external_userid: string;
  handover_userid: string;
  takeover_userid: string;
  /** In-service handovers only. */
  transfer_success_msg?: string;
}

/** The per-customer code is the top-level `errcode` (40100 in place of 40129). */
export type LegacyTransferResponse = WecomResponse;

/** Deprecated `POST /cgi-bin/externalcontact/get_transfer_result`: one customer of a pair, any kind. */
export interface GetTransferResultRequest {
  handover_userid: string;
  takeover_userid: string;
  external_userid: string;
}

export interface GetTransferResultResponse extends WecomResponse {
  /** 5 = no transfer record for this customer and pair. */
  status: TransferStatus;
  takeover_time: number;
}
