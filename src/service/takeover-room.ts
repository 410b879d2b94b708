import { GenerationMap } from './generation-map.js';

/**
 * Where writers run side by side (PostgreSQL), a transfer call need not read its takeover's load when the
 * node saw, at its last reservation for that takeover, room for far more than the call asks: it decides on
 * that load and the reservation (one conditional UPDATE, which answers the load after it) re-checks the cap
 * anyway. If other nodes filled the room meanwhile the reservation is refused and the call runs again with
 * the load locked, as after any lost reservation, so the hint can cost a retry but never a wrong answer: a
 * call decided on it accepts every customer the cap would allow with the places it asked for.
 *
 * Why: with all traffic to one takeover (figure 6 "hot", 1 id per call), every call's facts statement read
 * that member's row, which every reservation updates, walking its row versions: an A/B without that read
 * moved PostgreSQL's CPU per call from 1.37–1.75 to 0.63–1.15 ms.
 */
export class TakeoverRoom {
  private readonly loads = new GenerationMap<number>();

  /** The load to decide on without reading it, or undefined (read it) unless the room is ample. */
  hintedLoad(corpid: string, takeoverUserid: string, cap: number, places: number, generation: number): number | undefined {
    const load = this.loads.get(key(corpid, takeoverUserid), generation);
    if (load === undefined) return undefined;
    // Room the other nodes could take between two of this node's calls before the hint misleads one: a
    // thousand places, or ten times the call, whichever is more.
    return cap - load >= places + Math.max(1_000, 10 * places) ? load : undefined;
  }

  /** After a reservation: the load it answered, or null (refused: read the load next time). */
  saw(corpid: string, takeoverUserid: string, load: number | null, generation: number): void {
    this.loads.set(key(corpid, takeoverUserid), generation, load ?? Number.POSITIVE_INFINITY);
  }
}

function key(corpid: string, takeoverUserid: string): string {
  return `${corpid}\u0000${takeoverUserid}`;
}
