import { SECOND_MS } from '../domain/calendar.js';
import { type GroupChat, type GroupTransferKind, GroupTransferStatus, type NewGroupTransfer } from '../domain/group-chat.js';
import {
  changeOwner,
  checkNewOwner,
  decidePerGroup,
  type GroupTransferFacts,
  groupCountsFrom,
  ownerChangeEvents,
  parseGroupTransferCommand,
  type PerGroupResult,
} from '../domain/group-transfer-rules.js';
import type { DomainEvent } from '../domain/events.js';
import { mayNameARecord } from '../domain/lookup-key.js';
import { isResigned } from '../domain/resigned-members.js';
import type { App } from '../domain/types.js';
import { isValidUserid } from '../domain/userid.js';
import { cachedMembers } from './cached-members.js';
import type { ServiceContext } from './context.js';
import { writeEvents } from './write-events.js';

/**
 * `groupchat/onjob_transfer` and `groupchat/transfer` (behaviour §10.6): check the new owner, decide each group,
 * then in the same transaction record the accepted transfers, change the owners (onjob: now; resigned:
 * the engine does it when the inheritance falls due) and write the owner-change events.
 */
export async function transferGroupChats(ctx: ServiceContext, app: App, kind: GroupTransferKind, body: unknown): Promise<PerGroupResult[]> {
  const command = parseGroupTransferCommand(body);
  const corpid = app.corpid;
  const settings = ctx.config.groupChats;
  return ctx.store.write(async (tx) => {
    const state = await tx.clockState();
    const now = ctx.clock.instantOf(state);
    const [found] = isValidUserid(command.newOwner) ? await cachedMembers(ctx, tx, corpid, [command.newOwner], state.generation) : [];
    const newOwner = checkNewOwner(found ?? null, command.newOwner, app, now);

    await tx.lockCorpGroupTransfers(corpid);
    const chatIds = [...new Set(command.chatIds.filter(mayNameARecord))];
    const states = await tx.groupChatStates(corpid, chatIds);
    const ownerIds = [...new Set(states.map((s) => s.group.owner))];
    const owners = await cachedMembers(ctx, tx, corpid, ownerIds, state.generation);
    const resigned = new Set(owners.filter(isResigned).map((m) => m.userid));
    const from = groupCountsFrom(now, settings.limits);
    const onjobStarts = await tx.groupOnjobStartsSince(corpid, chatIds, from.window);
    const facts = new Map<string, GroupTransferFacts>(
      states.map((s) => [
        s.group.chatId,
        {
          owner: s.group.owner,
          ownerResigned: resigned.has(s.group.owner),
          inherited: s.group.inherited,
          inheritanceInProgress: s.inheritanceInProgress,
          onjobStartsInWindow: onjobStarts.get(s.group.chatId) ?? 0,
        },
      ]),
    );
    const results = decidePerGroup({
      kind,
      chatIds: command.chatIds,
      facts,
      newOwner: newOwner.userid,
      app,
      assignedToday: await tx.groupsAssignedSince(corpid, ownerIds, from.day),
      limits: settings.limits,
    });

    const groups = new Map<string, GroupChat>(states.map((s) => [s.group.chatId, s.group]));
    const transfers: NewGroupTransfer[] = [];
    const events: DomainEvent[] = [];
    for (const result of results.filter((r) => r.errcode === 0)) {
      const group = groups.get(result.chatId)!;
      const base = { corpid, chatId: group.chatId, kind, handoverUserid: result.oldOwner, takeoverUserid: newOwner.userid, startedAt: now };
      if (kind === 'groupchat_onjob') {
        const changed = changeOwner(group, newOwner.userid, now, kind);
        await tx.updateGroupChat(changed, group.owner);
        groups.set(group.chatId, changed);
        events.push(...ownerChangeEvents(changed, settings.callbacks));
        transfers.push({ ...base, status: GroupTransferStatus.done, dueAt: now, endedAt: now });
      } else {
        transfers.push({ ...base, status: GroupTransferStatus.inProgress, dueAt: now + settings.inheritSeconds * SECOND_MS, endedAt: null });
      }
    }
    await tx.insertGroupTransfers(transfers);
    await writeEvents(tx, events, now);
    return results;
  });
}
