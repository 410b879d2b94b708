import type { OutboxRow } from '../../domain/callback-recipients.js';
import type { App } from '../../domain/types.js';

/** An outbox row leased for one delivery attempt, with its recipient app. */
export interface ClaimedDelivery {
  id: number;
  app: App;
  type: string;
  payload: Record<string, string>;
  /** Server-clock instant the event happened (its CreateTime). */
  createdAt: number;
  /** 1 for the first attempt. */
  attempt: number;
}

export type DeliveryResult =
  | { id: number; outcome: 'delivered' }
  | { id: number; outcome: 'retry'; nextAttemptAt: number; error: string }
  | { id: number; outcome: 'dead' | 'undeliverable'; error: string };

/** Events written with the change that causes them, and their delivery (behaviour §9.5). */
export interface OutboxPort {
  /** Apps of these corps that have a callback configured. */
  callbackApps(corpids: readonly string[]): Promise<App[]>;
  insertOutboxRows(rows: readonly OutboxRow[], now: number): Promise<void>;
  claimDeliveries(realNow: number, leaseUntil: number, limit: number): Promise<ClaimedDelivery[]>;
  recordDeliveries(results: readonly DeliveryResult[], realNow: number): Promise<void>;
  /** false when the row is not dead or delivered (or has no recipient). */
  redeliver(eventId: number): Promise<boolean>;
  setAppCallback(corpid: string, agentid: number, callback: App['callback']): Promise<void>;
  appsWithAgentid(agentid: number): Promise<App[]>;
}
