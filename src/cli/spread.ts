import { MAX_EXTERNAL_USERIDS_PER_CALL } from '../wire/transfer-customer.js';

/** One call's worth: up to 100 ids for one takeover. */
export interface Hand {
  takeover: string;
  ids: string[];
}

/**
 * Deals customers round-robin over several takeovers, card by card, skipping takeovers that are full.
 * WeCom has no API that tells a member's free places (the cap and the waiting transfers are not readable),
 * so a takeover is known to be full only when it answers 40099: the caller marks it full and puts the
 * customers it refused back at the front of the queue, and the next deal goes to the others.
 */
export class Spreader {
  private next = 0;

  constructor(
    private readonly takeovers: readonly string[],
    private readonly full: Set<string> = new Set(),
  ) {}

  /** Takeovers still taking customers, in `--to` order. */
  get open(): string[] {
    return this.takeovers.filter((t) => !this.full.has(t));
  }

  markFull(takeover: string): void {
    this.full.add(takeover);
  }

  /**
   * Takes up to `per` ids per open takeover off the front of `queue` and deals them one by one, continuing
   * the rotation where the last deal stopped. Empty when every takeover is full.
   */
  deal(queue: string[], per = MAX_EXTERNAL_USERIDS_PER_CALL): Hand[] {
    const open = this.open;
    if (open.length === 0) return [];
    const hands = new Map(open.map((takeover) => [takeover, [] as string[]]));
    const taken = queue.splice(0, per * open.length);
    taken.forEach((id, i) => hands.get(open[(this.next + i) % open.length]!)!.push(id));
    this.next = (this.next + taken.length) % open.length;
    return [...hands].filter(([, ids]) => ids.length > 0).map(([takeover, ids]) => ({ takeover, ids }));
  }
}

/** `--to a,b,c` as a list: trimmed, empty entries dropped, each named once. */
export function parseTakeovers(to: string): string[] {
  return [...new Set(to.split(',').map((t) => t.trim()).filter((t) => t !== ''))];
}
