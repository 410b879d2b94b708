import { loggedInRecently } from './calendar.js';
import type { EpochMs, Member } from './types.js';
import { wecomError } from './wecom-error.js';

/** Behaviour §10.1: a member with a dimission time has resigned. */
export function isResigned(member: Member): boolean {
  return member.dimissionTime !== null;
}

/**
 * Behaviour §10.1: a resigned member is gone from the address book, so the in-service APIs answer 40003 for it,
 * with an errmsg that says so (the resigned family and the deprecated calls of §10.7 are the exceptions).
 * `member` null = unknown userid, also 40003.
 */
export function requireInService(member: Member | null, field: string): Member {
  if (!member) throw wecomError('INVALID_USERID', field);
  if (isResigned(member)) throw wecomError('INVALID_USERID', `${field} ${member.userid} has resigned`);
  return member;
}

/**
 * Behaviour §10.3: the resigned handover's activity rule — it resigned at most 365 days ago, and it had logged
 * in during the 365 days before it resigned.
 */
export function resignedHandoverActive(member: Member, now: number): boolean {
  const left = member.dimissionTime;
  if (left === null) return false;
  return loggedInRecently(left, now) && loggedInRecently(member.lastLoginAt, left);
}

/** A customer a resigned member holds with no waiting transfer (behaviour §10.1, §10.2). */
export interface UnassignedCustomer {
  handoverUserid: string;
  externalUserid: string;
  dimissionTime: EpochMs;
}
