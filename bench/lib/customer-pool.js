// Fresh customers for transfer_customer: each id is handed out once, so no request of a figure can be
// answered 40129 (already in transfer) because of the benchmark itself.
import { memberOf } from './company.js';

export class CustomerPool {
  /** `indices` (ascending) picks which of `ids` the pool hands out; all of them by default. */
  constructor(ids, perMember, indices = null) {
    this.ids = ids;
    this.perMember = perMember;
    this.indices = indices;
    this.size = indices ? indices.length : ids.length;
    this.next = 0;
  }

  get remaining() {
    return this.size - this.next;
  }

  /** One past the highest index handed out so far (indices are ascending): every id below may have been sent. */
  get handedOutBelow() {
    return this.next === 0 ? 0 : this.#index(this.next - 1) + 1;
  }

  #index(position) {
    return this.indices ? this.indices[position] : position;
  }

  /** Skips to the next multiple of `size`, so batches of `size` never straddle two members. */
  align(size) {
    this.next = Math.min(this.size, Math.ceil(this.next / size) * size);
  }

  /** Up to `count` ids of one member (fewer where its customers end); null when none are left. */
  take(count) {
    if (this.next >= this.size) return null;
    const first = this.#index(this.next);
    const member = Math.floor(first / this.perMember);
    const ids = [];
    while (ids.length < count && this.next < this.size) {
      const index = this.#index(this.next);
      if (Math.floor(index / this.perMember) !== member) break;
      ids.push(this.ids[index]);
      this.next++;
    }
    return { handover: memberOf(first, this.perMember), ids };
  }
}

/**
 * Which customers are known to be waiting, from the answers alone: 0 (started now) or 40129 (already
 * waiting — only this benchmark starts transfers). Calls cut off at the end of a timed run leave some ids
 * unknown; creating the rest for figure 4 re-sends exactly those, so the count comes out exact.
 */
export class WaitingLedger {
  constructor(ids) {
    this.position = new Map(ids.map((id, i) => [id, i]));
    this.waiting = new Uint8Array(ids.length);
    this.count = 0;
  }

  note(externalUserid, errcode) {
    if (errcode !== 0 && errcode !== 40129) return;
    const index = this.position.get(externalUserid);
    if (index === undefined || this.waiting[index]) return;
    this.waiting[index] = 1;
    this.count++;
  }

  /** Indices of the customers not known to be waiting, ascending. */
  unknown() {
    const out = [];
    for (let i = 0; i < this.waiting.length; i++) if (!this.waiting[i]) out.push(i);
    return out;
  }
}

/**
 * Fresh customers handed out one member at a time, in turn: call k names customers of member k mod M
 * only. Figure 6 uses it for both its "spread" and its "hot" runs, so concurrent calls never share a
 * handover member and only the takeover side differs between the two.
 */
export class StripedPool {
  constructor(ids, perMember) {
    this.ids = ids;
    this.perMember = perMember;
    this.members = Math.ceil(ids.length / perMember);
    /** Customers handed out so far, per member (from the member's first customer on). */
    this.used = new Int32Array(this.members);
    this.turn = 0;
    this.handedOut = 0;
  }

  get remaining() {
    return this.ids.length - this.handedOut;
  }

  /** Every batch is one member's already. */
  align() {}

  /** Up to `count` ids of the next member in turn that has any left; null when none are left. */
  take(count) {
    for (let tried = 0; tried < this.members; tried++) {
      const member = this.turn;
      this.turn = (this.turn + 1) % this.members;
      const first = member * this.perMember + this.used[member];
      const end = Math.min(this.ids.length, (member + 1) * this.perMember);
      if (first >= end) continue;
      const last = Math.min(end, first + count);
      this.used[member] += last - first;
      this.handedOut += last - first;
      return { handover: memberOf(first, this.perMember), ids: this.ids.slice(first, last) };
    }
    return null;
  }
}
