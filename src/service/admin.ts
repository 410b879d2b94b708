import { LATEST_INSTANT_MS, SECOND_MS } from '../domain/calendar.js';
import type { Member } from '../domain/types.js';
import { mayNameARecord } from '../domain/lookup-key.js';
import type { ClockCommand, ClockState, CustomerMessage, Fixture, OutboxEvent, OutboxEventStatus } from '../wire/admin.js';
import { completeAllDue, NoWaitingTransfer, refuseWaitingTransfer } from './complete-takeovers.js';
import { completeAllDueGroupInheritances } from './complete-group-inheritances.js';
import type { ServiceContext } from './context.js';
import { AdminInputError, FieldReader } from './fixture-input.js';
import { snapshotsToFixture, toFixtureMember } from './fixture.js';
import { eventsOfFixture } from './fixture-events.js';
import { loadFixtureEvents } from './fixture-load.js';

/**
 * Loads a fixture in one transaction: every corp it names is replaced, or nothing changes. The body is
 * already parsed (Fastify, at most 512 MiB): it goes through the same batched loader as `serve --fixture`,
 * so it validates alike and writes in batches; streaming the request body itself is left to a later issue.
 */
export async function loadFixture(ctx: ServiceContext, fixture: unknown): Promise<{ corps: number; customers: number }> {
  const now = await ctx.clock.current();
  const result = await ctx.store.write((tx) => loadFixtureEvents(tx, eventsOfFixture(fixture), { now, keepExisting: false }));
  return { corps: result.loaded.length, customers: result.customers };
}

export async function exportFixture(ctx: ServiceContext): Promise<Fixture> {
  return snapshotsToFixture(await ctx.store.read((tx) => tx.exportCorps()));
}

export async function resetAll(ctx: ServiceContext): Promise<void> {
  await ctx.store.write((tx) => tx.reset());
}

export async function clockState(ctx: ServiceContext): Promise<ClockState> {
  const { now, frozen } = await ctx.clock.state();
  return { now: new Date(now).toISOString(), frozen };
}

/**
 * `POST /admin/clock`: exactly one of advance_seconds, set, freeze. Moving the clock then completes every
 * takeover that fell due before the answer goes out, so a test can advance 24 h and see status 1 at once.
 */
export async function commandClock(ctx: ServiceContext, body: unknown): Promise<ClockState & { completed_takeovers: number }> {
  const reader = FieldReader.object(body, '');
  const given = (['advance_seconds', 'set', 'freeze'] as const).filter((name) => reader.has(name));
  if (given.length !== 1) throw new AdminInputError(undefined, 'send exactly one of advance_seconds, set, freeze');
  const command = given[0] as keyof ClockCommand;
  if (command === 'advance_seconds') {
    const seconds = reader.raw('advance_seconds');
    if (typeof seconds !== 'number' || !Number.isFinite(seconds) || seconds < 0) {
      throw new AdminInputError('advance_seconds', 'advance_seconds must be a number ≥ 0 (the clock never goes backwards by advancing)');
    }
    const ms = Math.round(seconds * SECOND_MS);
    if ((await ctx.clock.current()) + ms > LATEST_INSTANT_MS) {
      throw new AdminInputError('advance_seconds', `advance_seconds would move the clock past ${new Date(LATEST_INSTANT_MS).toISOString()}`);
    }
    await ctx.clock.advance(ms);
  } else if (command === 'set') {
    await ctx.clock.set(reader.instant('set', Number.NaN));
  } else {
    await ctx.clock.freeze(reader.boolean('freeze', false));
  }
  const completed = await completeAllDue(ctx, ctx.config.engine.batchSize);
  await completeAllDueGroupInheritances(ctx, ctx.config.engine.batchSize);
  return { ...(await clockState(ctx)), completed_takeovers: completed };
}

/**
 * `PATCH /admin/members/{userid}`: what happens to a member in real life while transfers wait — the cap
 * changes, they deactivate, they stop logging in. Only the fields sent change.
 */
export async function updateMember(ctx: ServiceContext, userid: string, corpid: string | undefined, body: unknown) {
  const reader = FieldReader.object(body, '');
  // An id with U+0000 names nothing (and PostgreSQL would fail the statement): unknown, without asking.
  if (!mayNameARecord(userid) || (corpid !== undefined && !mayNameARecord(corpid))) throw new AdminInputError('userid', `no member ${JSON.stringify(userid)}`, 404);
  return ctx.store.write(async (tx) => {
    const corps = corpid !== undefined ? [corpid] : (await tx.listCorpsOfMember(userid));
    if (corps.length > 1) throw new AdminInputError('corpid', `member ${userid} exists in several corps (${corps.join(', ')}): add ?corpid=`);
    const [member] = corps.length === 1 ? await tx.getMembers(corps[0]!, [userid]) : [];
    if (!member) throw new AdminInputError('userid', `no member ${userid}${corpid ? ` in corp ${corpid}` : ''}`, 404);
    const updated = {
      ...member,
      name: reader.string('name', { fallback: member.name }),
      activated: reader.boolean('activated', member.activated),
      realNameVerified: reader.boolean('real_name_verified', member.realNameVerified),
      customerContactEnabled: reader.boolean('customer_contact_enabled', member.customerContactEnabled),
      lastLoginAt: reader.instant('last_login_at', member.lastLoginAt),
      customerCap: reader.integer('customer_cap', { fallback: member.customerCap, min: 0 }),
    };
    await tx.updateMember(updated);
    return memberAnswer(updated);
  });
}

/** A member as the admin API answers it; `dimission_time` (Unix seconds) only for a resigned one. */
export function memberAnswer(member: Member) {
  return { corpid: member.corpid, ...toFixtureMember(member) };
}

/** Which corp a customer id belongs to; `corpid` settles ids that several corps use. */
async function corpOfCustomer(ctx: ServiceContext, externalUserid: string, corpid: string | undefined): Promise<string> {
  if (!mayNameARecord(externalUserid) || (corpid !== undefined && !mayNameARecord(corpid))) {
    throw new AdminInputError('external_userid', `no customer ${JSON.stringify(externalUserid)}`, 404);
  }
  const corps = await ctx.store.read((tx) => tx.corpidsOfCustomer(externalUserid));
  if (corpid !== undefined) {
    if (!corps.includes(corpid)) throw new AdminInputError('external_userid', `no customer ${externalUserid} in corp ${corpid}`, 404);
    return corpid;
  }
  if (corps.length === 0) throw new AdminInputError('external_userid', `no customer ${externalUserid}`, 404);
  if (corps.length > 1) throw new AdminInputError('corpid', `customer ${externalUserid} exists in several corps (${corps.join(', ')}): add ?corpid=`);
  return corps[0]!;
}

export async function refuseTransfer(ctx: ServiceContext, externalUserid: string, corpid: string | undefined) {
  const corp = await corpOfCustomer(ctx, externalUserid, corpid);
  // What fell due is taken over first (as after a clock command), so the refusal is judged on it.
  await completeAllDue(ctx, ctx.config.engine.batchSize);
  try {
    const transfer = await refuseWaitingTransfer(ctx, corp, externalUserid);
    return { corpid: corp, external_userid: externalUserid, handover_userid: transfer.handoverUserid, takeover_userid: transfer.takeoverUserid, status: transfer.status };
  } catch (error) {
    if (error instanceof NoWaitingTransfer) throw new AdminInputError('external_userid', error.message, 409);
    throw error;
  }
}

export async function customerMessages(ctx: ServiceContext, externalUserid: string, corpid: string | undefined): Promise<CustomerMessage[]> {
  const corp = await corpOfCustomer(ctx, externalUserid, corpid);
  const messages = await ctx.store.read((tx) => tx.messagesOf(corp, externalUserid));
  return messages.map((m) => ({ corpid: m.corpid, external_userid: m.externalUserid, from_userid: m.fromUserid, content: m.content, sent_at: new Date(m.sentAt).toISOString() }));
}

const EVENT_STATUSES: readonly string[] = ['pending', 'delivered', 'dead', 'undeliverable'] satisfies OutboxEventStatus[];

export async function listEvents(ctx: ServiceContext, query: { corpid?: string; status?: string; after_id?: string; limit?: string }): Promise<OutboxEvent[]> {
  const limit = query.limit === undefined ? 1000 : Number(query.limit);
  const afterId = query.after_id === undefined ? 0 : Number(query.after_id);
  if (!Number.isInteger(limit) || limit < 1 || limit > 10_000) throw new AdminInputError('limit', 'limit must be an integer from 1 to 10000');
  if (!Number.isSafeInteger(afterId) || afterId < 0) throw new AdminInputError('after_id', 'after_id must be an integer ≥ 0');
  if (query.status !== undefined && !EVENT_STATUSES.includes(query.status)) throw new AdminInputError('status', `status must be one of ${EVENT_STATUSES.join(', ')}`);
  if (query.corpid !== undefined && !mayNameARecord(query.corpid)) return [];
  const events = await ctx.store.read((tx) =>
    tx.listEvents({ limit, afterId, ...(query.corpid !== undefined ? { corpid: query.corpid } : {}), ...(query.status !== undefined ? { status: query.status } : {}) }),
  );
  return events.map(({ lastError, createdAt, ...event }) => ({ ...event, last_error: lastError, created_at: new Date(createdAt).toISOString() }));
}
