import type { App } from '../domain/types.js';
import type { ClaimedDelivery } from '../store/store.js';

export type SendOutcome = { ok: true } | { ok: false; error: string };

/** Sends one outbox row to its app's callback URL as WeCom does (encrypted POST, behaviour §4.2); outbox/ implements it. */
export interface CallbackSender {
  send(delivery: ClaimedDelivery): Promise<SendOutcome>;
}

/** WeCom's URL verification (behaviour §4.1), run before a callback config is saved. Resolves, or rejects with a readable Error. */
export interface CallbackVerifier {
  verify(corpid: string, callback: NonNullable<App['callback']>): Promise<void>;
}

/** Delay before retry number `attempt` (1 = the first retry), jittered; outbox/ implements it. */
export type RetryDelay = (attempt: number) => number;
