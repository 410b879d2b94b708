import { LOGIN_RECENCY_MS } from '../domain/calendar.js';
import type { ServiceContext } from './context.js';
import { eventsOfFixture, type FixtureEvent } from './fixture-events.js';
import { loadFixtureEvents } from './fixture-load.js';

export interface StartLoad {
  loaded: string[];
  /** Corps already in the database, left as they are. */
  skipped: string[];
}

/**
 * `handover serve --fixture/--demo` (issue 11, defect 12): a restart with the same command must not undo
 * what happened since (19,713 completed takeovers vanished that way), so only corps absent from the
 * database are loaded unless `replace` says otherwise; the kept ones are still validated. One transaction:
 * the first error leaves the database as it was. `events` is called again if the store runs the
 * transaction again (a PostgreSQL conflict), so it must start from the beginning each time.
 */
export async function loadFixtureEventsAtStart(
  ctx: ServiceContext,
  events: () => AsyncIterable<FixtureEvent> | Iterable<FixtureEvent>,
  options: { replace: boolean },
): Promise<StartLoad> {
  const now = await ctx.clock.current();
  return ctx.store.write(async (tx) => {
    const { loaded, skipped } = await loadFixtureEvents(tx, events(), { now, keepExisting: !options.replace });
    return { loaded, skipped };
  });
}

/** The same for a fixture already in memory (the demo company). */
export async function loadFixtureAtStart(ctx: ServiceContext, fixture: unknown, options: { replace: boolean }): Promise<StartLoad> {
  return loadFixtureEventsAtStart(ctx, () => eventsOfFixture(fixture), options);
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
