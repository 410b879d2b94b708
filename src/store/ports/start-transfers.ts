import type { TransferEffects } from '../../domain/transfer-state.js';
import type { CustomerTransferFacts } from '../../domain/transfer-rules.js';
import type { Member, TransferKind } from '../../domain/types.js';

/** What a reservation sent with the COMMIT re-checks of the quota: each started customer's expected count of starts since `from`. */
export interface QuotaAtCommit {
  from: number;
  expected: ReadonlyMap<string, number>;
}

export interface NewTransfer {
  kind: TransferKind;
  corpid: string;
  externalUserid: string;
  handoverUserid: string;
  takeoverUserid: string;
  startedAt: number;
  dueAt: number;
  /** The call's shared notice (migration 0013): what the customer's inbox shows for this start; none, none. */
  noticeId?: number;
}

export interface NewMessage {
  corpid: string;
  externalUserid: string;
  fromUserid: string;
  content: string;
  sentAt: number;
}

/** Effects of any transfer decision: the domain computes them (domain/transfer-state.ts), the store applies them. */
export interface TransferEffectsPort {
  /** Throws WriteConflict (the transaction is retried) when a transition finds its transfer no longer in `from`. */
  applyTransferEffects(effects: TransferEffects): Promise<void>;
}

/** transfer_customer and resigned/transfer_customer (behaviour §9.1, §10.3): decide, then start atomically. */
export interface StartTransfersPort extends TransferEffectsPort {
  getMembers(corpid: string, userids: readonly string[]): Promise<Member[]>;
  transferFacts(corpid: string, handoverUserid: string, externalUserids: readonly string[], quotaFrom: number): Promise<Map<string, CustomerTransferFacts>>;
  /** `transferFacts` plus the takeover's load as `takeoverLoad(…, false)` reads it, in one statement
   * (`takeoverUserid` null: the facts alone, `takeoverLoad` 0). */
  decisionFacts(
    corpid: string,
    handoverUserid: string,
    takeoverUserid: string | null,
    externalUserids: readonly string[],
    quotaFrom: number,
  ): Promise<{ customers: Map<string, CustomerTransferFacts>; takeoverLoad: number }>;
  /** Customers the member follows now plus waiting transfers towards it. With `lock`, where row locks
   * exist, the member stays locked until commit (the fallback after a lost `reserveTakeoverPlaces`). */
  takeoverLoad(corpid: string, takeoverUserid: string, lock: boolean): Promise<number>;
  /** Adds `places` waiting incoming transfers to the member only if its load stays within its cap and
   * answers its load after them; null (nothing changed) if concurrent writers filled it since the load the
   * call decided on was read. */
  reserveTakeoverPlaces(corpid: string, takeoverUserid: string, places: number, cap: number): Promise<number | null>;
  /** Where the transaction shares its commit with other writes (PostgreSQL group commit): the reservation
   * sent with the COMMIT, so the member's row is locked only through the commit. One that would pass the
   * cap fails the commit, and the writes run again, each alone, where `reserveTakeoverPlaces` decides. The
   * promise answers the load after it once committed and rejects if the commit failed. Null elsewhere.
   * `quota`: in the same statement, each started customer's count of starts since `from` must be its
   * `expected` (domain `startsWithOurs`), or the commit fails likewise: `startsSince`'s re-check, where the
   * writes running alone withdraw the stale starts. */
  readonly reserveTakeoverPlacesAtCommit:
    | ((corpid: string, takeoverUserid: string, places: number, cap: number, quota: QuotaAtCommit | null) => Promise<number>)
    | null;
  /** Whether the quota re-check should ride in `reserveTakeoverPlacesAtCommit`: not when another write of the
   * shared transaction takes the same takeover's row, whose lock the re-count would then lengthen. */
  readonly recountAtCommit: boolean;
  /** external_userid → id of the waiting transfers inserted (the others already had one: 40129). */
  insertWaitingTransfers(transfers: readonly NewTransfer[]): Promise<Map<string, number>>;
  /** Starts of any kind per customer at or after `from` (the quota re-check, behaviour §9.1.7). */
  startsSince(corpid: string, externalUserids: readonly string[], from: number): Promise<Map<string, number>>;
  withdrawTransfers(transferIds: readonly number[]): Promise<void>;
  /** One inbox notice shared by the customers a call starts (behaviour §9.2, §10.4); answers its id. */
  insertNotice(corpid: string, content: string): Promise<number>;
}
