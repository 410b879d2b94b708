import { mayNameARecord } from '../domain/lookup-key.js';
import type { Member } from '../domain/types.js';
import type { AdminPort, GroupChatsPort } from '../store/store.js';
import type { ServiceContext } from './context.js';
import { AdminInputError, FieldReader } from './fixture-input.js';
import { memberAnswer } from './admin.js';

/**
 * What keeps a member from resigning (behaviour §10.1: a waiting transfer, in or out, of any kind, customer or
 * group): each check answers why, or null. Group transfers add their check to this list.
 */
export type ResignBlocker = (tx: AdminPort & GroupChatsPort, member: Member) => Promise<string | null>;

export const RESIGN_BLOCKERS: readonly ResignBlocker[] = Object.freeze([
  async (tx, member) => ((await tx.hasWaitingTransfers(member.corpid, member.userid)) ? `member ${member.userid} has a waiting customer transfer` : null),
  async (tx, member) => {
    const [inProgress] = await tx.inProgressGroupTransfersOf(member.corpid, member.userid);
    return inProgress ? `member ${member.userid} has a group transfer in progress (chat ${inProgress.chatId})` : null;
  },
]);

/**
 * `POST /admin/members/{userid}/resign` (behaviour §10.1): the member resigns at `dimission_time` (Unix seconds,
 * default now on the server clock) and answers as the member. 409 while a transfer of it waits.
 */
export async function resignMember(ctx: ServiceContext, userid: string, corpid: string | undefined, body: unknown, blockers: readonly ResignBlocker[] = RESIGN_BLOCKERS) {
  const reader = FieldReader.object(body ?? {}, '');
  if (!mayNameARecord(userid) || (corpid !== undefined && !mayNameARecord(corpid))) throw new AdminInputError('userid', `no member ${JSON.stringify(userid)}`, 404);
  return ctx.store.write(async (tx) => {
    const now = await ctx.clock.now(tx);
    const dimissionTime = reader.has('dimission_time') ? reader.unixSeconds('dimission_time') : now;
    const corps = corpid !== undefined ? [corpid] : await tx.listCorpsOfMember(userid);
    if (corps.length > 1) throw new AdminInputError('corpid', `member ${userid} exists in several corps (${corps.join(', ')}): add ?corpid=`);
    const [member] = corps.length === 1 ? await tx.getMembers(corps[0]!, [userid]) : [];
    if (!member) throw new AdminInputError('userid', `no member ${userid}${corpid ? ` in corp ${corpid}` : ''}`, 404);
    for (const blocker of blockers) {
      const reason = await blocker(tx, member);
      if (reason) throw new AdminInputError('userid', `${reason}: it cannot resign until that ends`, 409);
    }
    const resigned = { ...member, dimissionTime };
    await tx.updateMember(resigned);
    return memberAnswer(resigned);
  });
}
