import { type EpochMs, TransferStatus } from './types.js';

/**
 * Behaviour §10.8: every accepted transfer, customer or group, any kind, with a stable id. Customer kinds move an
 * external_userid; group kinds (customer groups, behaviour §10.6) move a chat_id, and their status is 1 done or
 * 2 in progress. Customer kinds live in `transfers`, group kinds in `group_transfers`; both draw ids from one
 * sequence, so paging by id works across kinds.
 */
export const HISTORY_KINDS = ['onjob', 'resigned', 'groupchat_onjob', 'groupchat_resigned'] as const;
export type HistoryKind = (typeof HISTORY_KINDS)[number];

export type TransferOutcomeName = 'waiting' | 'taken_over' | 'refused' | 'takeover_full' | 'in_progress' | 'done';

export interface TransferRecord {
  id: number;
  kind: HistoryKind;
  corpid: string;
  /** external_userid for customer kinds, chat_id for group kinds. */
  subjectId: string;
  handoverUserid: string;
  takeoverUserid: string;
  status: number;
  startedAt: EpochMs;
  dueAt: EpochMs;
  endedAt: EpochMs | null;
}

export function isGroupKind(kind: HistoryKind): boolean {
  return kind === 'groupchat_onjob' || kind === 'groupchat_resigned';
}

/** The outcome name of a status, in the words of §10.8. */
export function transferOutcome(kind: HistoryKind, status: number): TransferOutcomeName {
  if (isGroupKind(kind)) return status === TransferStatus.done ? 'done' : 'in_progress';
  switch (status) {
    case TransferStatus.done:
      return 'taken_over';
    case TransferStatus.refused:
      return 'refused';
    case TransferStatus.takeoverFull:
      return 'takeover_full';
    default:
      return 'waiting';
  }
}
