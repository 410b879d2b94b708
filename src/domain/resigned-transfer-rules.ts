import { loggedInRecently } from './calendar.js';
import { isVisible } from './permissions.js';
import { isResigned, requireInService, resignedHandoverActive } from './resigned-members.js';
import type { MemberCheck } from './transfer-rules.js';
import { isValidUserid } from './userid.js';
import { wecomError } from './wecom-error.js';

/**
 * Behaviour §10.3, whole-call checks on the two members of `resigned/transfer_customer`, first failure wins:
 * 40003 unknown userid or resigned takeover → 40130 same member → 40097 handover in service → 41054
 * handover resigned over 365 days ago or idle in the 365 days before it left → 60011 handover not visible
 * → the takeover checks of §9.1.6. A member is null when the userid is unknown in the corp.
 */
export const checkResignedTransferMembers: MemberCheck = (command, givenHandover, givenTakeover, app, now) => {
  const handover = isValidUserid(command.handoverUserid) ? givenHandover : null;
  if (!handover) throw wecomError('INVALID_USERID', 'handover_userid');
  const takeover = requireInService(isValidUserid(command.takeoverUserid) ? givenTakeover : null, 'takeover_userid');
  if (handover.userid === takeover.userid) throw wecomError('SAME_HANDOVER_TAKEOVER');
  if (!isResigned(handover)) throw wecomError('HANDOVER_NOT_RESIGNED', 'handover_userid has not resigned');
  if (!resignedHandoverActive(handover, now)) {
    throw wecomError('USER_NOT_ACTIVE', 'handover_userid resigned more than a year ago, or had not logged in within the year before it resigned');
  }
  if (!isVisible(app, handover.userid)) throw wecomError('NO_PRIVILEGE', 'handover_userid is not in the app visible range');
  if (!isVisible(app, takeover.userid)) throw wecomError('NO_PRIVILEGE', 'takeover_userid is not in the app visible range');
  if (!takeover.customerContactEnabled) throw wecomError('NOT_CUSTOMER_CONTACT_USER', 'takeover_userid');
  if (!takeover.activated) throw wecomError('USER_NOT_ACTIVE', 'takeover_userid is not activated');
  if (!takeover.realNameVerified) throw wecomError('NOT_REAL_NAME_VERIFIED', 'takeover_userid');
  if (!loggedInRecently(takeover.lastLoginAt, now)) throw wecomError('USER_NOT_ACTIVE', 'takeover_userid has not logged in within the last year');
  return { handover, takeover };
};
