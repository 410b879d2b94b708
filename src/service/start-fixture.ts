import { LOGIN_RECENCY_MS } from '../domain/calendar.js';
import type { ServiceContext } from './context.js';
import { fixtureToSnapshots } from './fixture.js';

export interface StartLoad {
  loaded: string[];
  /** Corps already in the database, left as they are. */
  skipped: string[];
}

/**
 * `handover serve --fixture/--demo` (issue 11, defect 12): a restart with the same command must not undo
 * what happened since (19,713 completed takeovers vanished that way), so only corps absent from the
 * database are loaded unless `replace` says otherwise. Validated whole first; one transaction.
 */
export async function loadFixtureAtStart(ctx: ServiceContext, fixture: unknown, options: { replace: boolean }): Promise<StartLoad> {
  const now = await ctx.clock.current();
  const snapshots = fixtureToSnapshots(fixture, now);
  return ctx.store.write(async (tx) => {
    const result: StartLoad = { loaded: [], skipped: [] };
    const load = [];
    for (const snapshot of snapshots) {
      if (!options.replace && (await tx.corpExists(snapshot.corp.corpid))) result.skipped.push(snapshot.corp.corpid);
      else {
        load.push(snapshot);
        result.loaded.push(snapshot.corp.corpid);
      }
    }
    if (load.length > 0) await tx.loadCorps(load);
    return result;
  });
}

/**
 * The demo company's members last logged in when it was loaded, at the server clock of then. A kept demo
 * company on a clock moved a year on (or back before that login) would answer the banner's own example
 * with 41054: its members log in again, at the server clock of now. Nothing else of it changes.
 * Answers the userids whose login moved.
 */
export async function bringDemoInStep(ctx: ServiceContext, corpid: string): Promise<string[]> {
  return ctx.store.write(async (tx) => {
    const now = await ctx.clock.now(tx);
    const stale = (await tx.listMembers(corpid)).filter((m) => now - m.lastLoginAt > LOGIN_RECENCY_MS || m.lastLoginAt > now);
    for (const member of stale) await tx.updateMember({ ...member, lastLoginAt: now });
    return stale.map((m) => m.userid);
  });
}
