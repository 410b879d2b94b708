import type { WecomResponse } from './envelope.js';

/** At most this many records per page (behaviour §2). */
export const TRANSFER_RESULT_PAGE_SIZE = 1000;

/** Body of `POST /cgi-bin/externalcontact/transfer_result` (behaviour §2). */
export interface TransferResultRequest {
  handover_userid: string;
  takeover_userid: string;
  /** Opaque; empty or absent for the first page. */
  cursor?: string;
}

/**
 * 1 done (接替完毕), 2 waiting (等待接替), 3 customer refused (客户拒绝),
 * 4 takeover at its customer cap (接替成员客户达到上限), 5 no takeover record (never produced by handover, behaviour §9.3).
 */
export type TransferStatus = 1 | 2 | 3 | 4 | 5;

export const TRANSFER_STATUS = {
  done: 1,
  waiting: 2,
  refused: 3,
  takeoverFull: 4,
  noRecord: 5,
} as const satisfies Record<string, TransferStatus>;

export interface TransferResultEntry {
  external_userid: string;
  status: TransferStatus;
  /** Unix seconds: when the takeover happened, or for status 2 when it will happen; 0 for status 3. */
  takeover_time: number;
}

export interface TransferResultResponse extends WecomResponse {
  customer: TransferResultEntry[];
  /** `""` on the last page. */
  next_cursor: string;
}
