import type { PastTransfer } from '../../domain/takeover.js';
import type { Transfer } from '../../domain/types.js';
import type { TransferEffectsPort } from './start-transfers.js';

/** Facts the takeover engine needs about a batch of due transfers (read in the completing transaction). */
export interface TakeoverBatchFacts {
  /** Transfer ids whose handover still follows the customer. */
  handoverFollows: Set<number>;
  takeoverFriends: Set<number>;
  /** Per due transfer id: the customer's other transfers. */
  earlierTransfers: Map<number, PastTransfer[]>;
  customerCounts: Map<string, number>;
  caps: Map<string, number>;
}

/** The takeover engine and the customer's refusal (behaviour §9.2, §10.4). */
export interface TakeoversPort extends TransferEffectsPort {
  /** Due waiting transfers, oldest first; on PostgreSQL locked with SKIP LOCKED so nodes never share one. */
  claimDueTransfers(now: number, limit: number): Promise<Transfer[]>;
  takeoverFacts(transfers: readonly Transfer[]): Promise<TakeoverBatchFacts>;
  /** Locked where row locks exist: a refusal and the engine meet on this row. */
  findWaitingTransfer(corpid: string, externalUserid: string): Promise<Transfer | null>;
  /** Whether the member still follows the customer. */
  follows(corpid: string, userid: string, externalUserid: string): Promise<boolean>;
}
