import { loggedInRecently, quotaWindowStart, utc8DayStart } from './calendar.js';
import { ERRCODES, type ErrcodeName } from './errcodes.js';
import type { DomainEvent } from './events.js';
import { type GroupChat, type GroupTransfer, type GroupTransferKind, GroupTransferStatus } from './group-chat.js';
import { isVisible } from './permissions.js';
import { isStringArray, requireBodyObject, requiredUserid } from './request-fields.js';
import type { App, Member } from './types.js';
import { requireInService } from './resigned-members.js';
import { WecomError, wecomError } from './wecom-error.js';

/**
 * The rules of `groupchat/onjob_transfer` and `groupchat/transfer` (behaviour §7.4–7.5, §10.6): facts in,
 * outcomes out. WeCom: https://developer.work.weixin.qq.com/document/path/95703 and …/96334.
 */

export const MAX_CHAT_IDS_PER_CALL = 100;

export interface GroupTransferCommand {
  /** In request order, duplicates kept: a later duplicate is judged after the earlier one took effect. */
  chatIds: string[];
  newOwner: string;
}

/** "2 in-service transfers per group in 90 natural days" and "300 groups of one owner a day" (behaviour §7.4). */
export interface GroupTransferLimits {
  windowDays: number;
  maxOnjobTransfers: number;
  dailyPerOwner: number;
}

export const DEFAULT_GROUP_TRANSFER_LIMITS: GroupTransferLimits = Object.freeze({ windowDays: 90, maxOnjobTransfers: 2, dailyPerOwner: 300 });

/** Behaviour §10.6 whole call, after 48002 and the unparsable body: chat_id_list (40058), then new_owner (41009). */
export function parseGroupTransferCommand(body: unknown): GroupTransferCommand {
  const fields = requireBodyObject(body);
  const ids = fields['chat_id_list'];
  if (!isStringArray(ids) || ids.length === 0) {
    throw new WecomError('INVALID_ARGUMENT', { detail: 'chat_id_list must be a non-empty array of strings', wrongJsonFormat: ids !== undefined && !Array.isArray(ids) });
  }
  if (ids.length > MAX_CHAT_IDS_PER_CALL) {
    throw new WecomError('INVALID_ARGUMENT', { detail: `chat_id_list has ${ids.length} elements, at most ${MAX_CHAT_IDS_PER_CALL} allowed` });
  }
  return { chatIds: ids, newOwner: requiredUserid(fields, 'new_owner') };
}

/** Behaviour §10.6 whole call: 40003 unknown or resigned new owner, then 60011, 610004, 41054, 40098, 41054 login. */
export function checkNewOwner(found: Member | null, userid: string, app: App, now: number): Member {
  const newOwner = requireInService(found, 'new_owner');
  if (!isVisible(app, userid)) throw wecomError('NO_PRIVILEGE', 'new_owner is not in the app visible range');
  if (!newOwner.customerContactEnabled) throw wecomError('NOT_CUSTOMER_CONTACT_USER', 'new_owner');
  if (!newOwner.activated) throw wecomError('USER_NOT_ACTIVE', 'new_owner is not activated');
  if (!newOwner.realNameVerified) throw wecomError('NOT_REAL_NAME_VERIFIED', 'new_owner');
  if (!loggedInRecently(newOwner.lastLoginAt, now)) throw wecomError('USER_NOT_ACTIVE', 'new_owner has not logged in within the last year');
  return newOwner;
}

/** What the store knows about one requested group, read in the call's transaction. */
export interface GroupTransferFacts {
  owner: string;
  ownerResigned: boolean;
  inherited: boolean;
  inheritanceInProgress: boolean;
  /** In-service (onjob) transfers of the group started inside the quota window. */
  onjobStartsInWindow: number;
}

export interface GroupDecisionInput {
  kind: GroupTransferKind;
  chatIds: readonly string[];
  /** Absent = unknown group (90501). */
  facts: ReadonlyMap<string, GroupTransferFacts>;
  newOwner: string;
  app: App;
  /** Groups of each old owner assigned (any kind, any new owner) since the start of today, UTC+8. */
  assignedToday: ReadonlyMap<string, number>;
  limits: GroupTransferLimits;
}

export interface PerGroupResult {
  chatId: string;
  errcode: number;
  errmsg: string;
  /** The owner before this call, for the accepted ones. */
  oldOwner: string;
}

/** The quota window of the onjob limit starts here, and the daily limit counts from `utc8DayStart`. */
export function groupCountsFrom(now: number, limits: GroupTransferLimits): { window: number; day: number } {
  return { window: quotaWindowStart(now, limits.windowDays), day: utc8DayStart(now) };
}

function failure(name: ErrcodeName, detail?: string): { errcode: number; errmsg: string } {
  const entry = ERRCODES[name];
  return { errcode: entry.code, errmsg: detail ? `${entry.errmsg}: ${detail}` : entry.errmsg };
}

/**
 * Behaviour §10.6, per group, first that applies: 90501; onjob 90502 / resigned 90507, 90508, 90500; 90504;
 * 60011 owner not visible; onjob 40128 (2 in 90 × 24 h); 40128 (> 300 of one old owner today). An accepted
 * group takes effect for the rest of the call: a duplicate then finds the new owner (90504) or the
 * inheritance in progress (90507), and counts toward both limits.
 */
export function decidePerGroup(input: GroupDecisionInput): PerGroupResult[] {
  const facts = new Map(input.facts);
  const assigned = new Map(input.assignedToday);
  return input.chatIds.map((chatId) => {
    const fact = facts.get(chatId);
    const decided = ((): { errcode: number; errmsg: string } => {
      if (!fact) return failure('NOT_EXTERNAL_GROUP_CHAT');
      if (input.kind === 'groupchat_onjob') {
        if (fact.ownerResigned) return failure('GROUP_OWNER_RESIGNED');
      } else {
        if (fact.inheritanceInProgress) return failure('GROUP_INHERITANCE_IN_PROGRESS');
        if (fact.inherited && !fact.ownerResigned) return failure('GROUP_ALREADY_INHERITED');
        if (!fact.ownerResigned) return failure('GROUP_OWNER_NOT_RESIGNED');
      }
      if (fact.owner === input.newOwner) return failure('GROUP_OWNER_UNCHANGED');
      if (!isVisible(input.app, fact.owner)) return failure('NO_PRIVILEGE', 'the owner of this chat is not in the app visible range');
      if (input.kind === 'groupchat_onjob' && fact.onjobStartsInWindow >= input.limits.maxOnjobTransfers) {
        return failure('TRANSFER_TOO_FREQUENT', `this chat was transferred ${fact.onjobStartsInWindow} times in the last ${input.limits.windowDays} days`);
      }
      if ((assigned.get(fact.owner) ?? 0) >= input.limits.dailyPerOwner) {
        return failure('TRANSFER_TOO_FREQUENT', `more than ${input.limits.dailyPerOwner} chats of ${fact.owner} assigned today`);
      }
      return { errcode: 0, errmsg: 'ok' };
    })();
    const oldOwner = fact?.owner ?? '';
    if (decided.errcode === 0 && fact) {
      assigned.set(fact.owner, (assigned.get(fact.owner) ?? 0) + 1);
      facts.set(
        chatId,
        input.kind === 'groupchat_onjob'
          ? { ...fact, owner: input.newOwner, onjobStartsInWindow: fact.onjobStartsInWindow + 1 }
          : { ...fact, inheritanceInProgress: true },
      );
    }
    return { chatId, ...decided, oldOwner };
  });
}

/**
 * The owner changes (behaviour §10.6 effect): the new owner joins as a member if not one; after a resigned
 * inheritance the resigned owner leaves `member_list` and the group counts as inherited. The owner is no
 * admin of its own group: a new owner who was one leaves `admin_list`.
 */
export function changeOwner(group: GroupChat, newOwner: string, now: number, kind: GroupTransferKind): GroupChat {
  const oldOwner = group.owner;
  const kept = kind === 'groupchat_resigned' ? group.members.filter((m) => !(m.type === 1 && m.userid === oldOwner)) : group.members;
  const joined = kept.some((m) => m.type === 1 && m.userid === newOwner);
  return {
    ...group,
    owner: newOwner,
    members: joined ? kept : [...kept, { userid: newOwner, type: 1, joinTime: now, joinScene: 1, invitor: oldOwner, groupNickname: '' }],
    admins: group.admins.filter((userid) => userid !== newOwner),
    inherited: kind === 'groupchat_resigned' ? true : group.inherited,
  };
}

/** `change_external_chat` / `update` / `change_owner` for every owner change (behaviour §10.6), when switched on. */
export function ownerChangeEvents(group: GroupChat, enabled: boolean): DomainEvent[] {
  return enabled ? [{ type: 'change_external_chat', corpid: group.corpid, userid: group.owner, chatId: group.chatId, updateDetail: 'change_owner' }] : [];
}

/**
 * A resigned owner's inheritance at its due time (behaviour §10.6): the owner changes, the resigned owner leaves
 * the group, the transfer is done. It happens at the due time whenever the engine gets to it, so the new
 * owner's join_time and the transfer's end do not depend on when the engine ran.
 */
export function completeInheritance(transfer: GroupTransfer, group: GroupChat, callbacks: boolean): { transfer: GroupTransfer; group: GroupChat; events: DomainEvent[] } {
  const done: GroupTransfer = { ...transfer, status: GroupTransferStatus.done, endedAt: transfer.dueAt };
  const changed = changeOwner(group, transfer.takeoverUserid, transfer.dueAt, 'groupchat_resigned');
  return { transfer: done, group: changed, events: ownerChangeEvents(changed, callbacks) };
}
