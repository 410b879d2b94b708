import type { Member } from '../domain/types.js';
import type { StoreTx } from '../store/store.js';
import type { ServiceContext } from './context.js';
import { memberCacheKey } from './generation-cache.js';

/** The members that exist among `userids`, from the generation cache where it has them. */
export async function cachedMembers(ctx: ServiceContext, tx: StoreTx, corpid: string, userids: readonly string[], generation: number): Promise<Member[]> {
  const found: Member[] = [];
  const missing: string[] = [];
  for (const userid of userids) {
    const member = ctx.cache.members.get(memberCacheKey(corpid, userid), generation);
    if (member) found.push(member);
    else missing.push(userid);
  }
  if (missing.length === 0) return found;
  for (const member of await tx.getMembers(corpid, missing)) {
    ctx.cache.members.set(memberCacheKey(corpid, member.userid), generation, member);
    found.push(member);
  }
  return found;
}
