import { loggedInRecently } from './calendar.js';
import { requireInService } from './resigned-members.js';
import { isVisible } from './permissions.js';
import type { TransferCommand } from './transfer-request.js';
import { quotaExhausted, type TransferQuota } from './transfer-quota.js';
import type { App, Member } from './types.js';
import { isValidUserid } from './userid.js';
import { ERRCODES } from './errcodes.js';
import { wecomError } from './wecom-error.js';

/**
 * Behaviour §9.1 steps 5 and 6: whole-call checks on the two members, first failure wins.
 * A member is null when the userid is unknown in the corp; a resigned one is as good as unknown (§10.1).
 */
export const checkTransferMembers: MemberCheck = (command, givenHandover, givenTakeover, app, now) => {
  const handover = requireInService(isValidUserid(command.handoverUserid) ? givenHandover : null, 'handover_userid');
  const takeover = requireInService(isValidUserid(command.takeoverUserid) ? givenTakeover : null, 'takeover_userid');
  if (handover.userid === takeover.userid) throw wecomError('SAME_HANDOVER_TAKEOVER');
  if (!isVisible(app, handover.userid)) throw wecomError('NO_PRIVILEGE', 'handover_userid is not in the app visible range');
  if (!isVisible(app, takeover.userid)) throw wecomError('NO_PRIVILEGE', 'takeover_userid is not in the app visible range');
  if (!takeover.customerContactEnabled) throw wecomError('NOT_CUSTOMER_CONTACT_USER', 'takeover_userid');
  if (!takeover.activated) throw wecomError('USER_NOT_ACTIVE', 'takeover_userid is not activated');
  if (!takeover.realNameVerified) throw wecomError('NOT_REAL_NAME_VERIFIED', 'takeover_userid');
  if (!loggedInRecently(handover.lastLoginAt, now)) {
    throw wecomError('USER_NOT_ACTIVE', 'handover_userid has not logged in within the last year');
  }
  if (!loggedInRecently(takeover.lastLoginAt, now)) {
    throw wecomError('USER_NOT_ACTIVE', 'takeover_userid has not logged in within the last year');
  }
  return { handover, takeover };
};

/** The whole-call member checks of one kind of transfer call (behaviour §9.1.5–6, §10.3); a member is null when unknown. */
export type MemberCheck = (command: TransferCommand, handover: Member | null, takeover: Member | null, app: App, now: number) => { handover: Member; takeover: Member };

/** What the store knows about each requested customer, read inside the call's transaction. */
export interface CustomerTransferFacts {
  exists: boolean;
  followedByHandover: boolean;
  hasWaitingTransfer: boolean;
  /** Accepted starts of this customer inside the quota window. */
  acceptedInWindow: number;
}

export interface TakeoverLoad {
  /** Customers the takeover member follows now plus transfers waiting to arrive (behaviour §9.1.7). */
  currentAndIncoming: number;
  customerCap: number;
}

export interface PerCustomerResult {
  externalUserid: string;
  errcode: number;
}

const OK = 0;

/**
 * Behaviour §9.1 step 7 and §10.3: one result per requested id, in request order, duplicates included; `quota`
 * null = no 90-day limit (resigned transfers by default). An id accepted
 * earlier in the same call counts as waiting for its later duplicates, and every acceptance takes one of
 * the takeover's free places.
 */
export function decidePerCustomer(
  externalUserids: readonly string[],
  facts: ReadonlyMap<string, CustomerTransferFacts>,
  load: TakeoverLoad,
  quota: TransferQuota | null,
): PerCustomerResult[] {
  const acceptedInThisCall = new Set<string>();
  let takenPlaces = load.currentAndIncoming;
  return externalUserids.map((externalUserid) => {
    const fact = facts.get(externalUserid);
    const errcode: number = (() => {
      if (!fact || !fact.exists) return ERRCODES.INVALID_EXTERNAL_USERID.code;
      if (!fact.followedByHandover) return ERRCODES.NOT_FOLLOWER_OF_HANDOVER.code;
      if (fact.hasWaitingTransfer || acceptedInThisCall.has(externalUserid)) return ERRCODES.CUSTOMER_IN_TRANSFER.code;
      if (quota && quotaExhausted(fact.acceptedInWindow, quota)) return ERRCODES.TRANSFER_TOO_FREQUENT.code;
      if (takenPlaces >= load.customerCap) return ERRCODES.CUSTOMER_LIMIT_REACHED.code;
      return OK;
    })();
    if (errcode === OK) {
      acceptedInThisCall.add(externalUserid);
      takenPlaces++;
    }
    return { externalUserid, errcode };
  });
}
