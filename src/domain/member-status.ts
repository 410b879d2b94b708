import type { Member } from './types.js';

/** A member with a `dimission_time` has resigned (spec §10.1). */
export function isResigned(member: Member): boolean {
  return member.dimissionTime !== null;
}
