import type { TransferResultRequest } from '../wire/transfer-result.js';

/** A handover → takeover pair, in the SDK's own names. */
export interface TransferPair {
  handover: string;
  takeover: string;
}

/** `{ handover, takeover }` or the wire names `{ handover_userid, takeover_userid }`. */
export type PairRequest = TransferPair | Omit<TransferResultRequest, 'cursor'>;

export const wirePair = (pair: PairRequest): Omit<TransferResultRequest, 'cursor'> =>
  'handover' in pair ? { handover_userid: pair.handover, takeover_userid: pair.takeover } : { handover_userid: pair.handover_userid, takeover_userid: pair.takeover_userid };
