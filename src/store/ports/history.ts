import type { HistoryKind, TransferRecord } from '../../domain/transfer-history.js';

export interface TransferHistoryFilter {
  corpid?: string;
  kind?: HistoryKind;
  status?: number;
  handoverUserid?: string;
  takeoverUserid?: string;
  /** external_userid or chat_id. */
  subjectId?: string;
  afterId: number;
  limit: number;
}

/** `GET /admin/transfers` (behaviour §10.8): every accepted transfer of every kind, in id order. */
export interface HistoryPort {
  listTransfers(filter: TransferHistoryFilter): Promise<TransferRecord[]>;
}
