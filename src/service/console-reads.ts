import { buildEventXml } from '../callback/event-xml.js';
import { changeEventOf } from '../callback/change-event.js';
import { toUnixSeconds } from '../domain/calendar.js';
import { mayNameARecord } from '../domain/lookup-key.js';
import { quotaUse } from '../domain/quota-use.js';
import { transferOutcome } from '../domain/transfer-history.js';
import type { Transfer } from '../domain/types.js';
import type { CustomerListing, MemberLoad } from '../store/console-reads.js';
import type {
  ConsoleCorp,
  ConsoleCustomer,
  ConsoleCustomerDetail,
  ConsoleEvent,
  ConsoleMember,
  ConsoleOverview,
  HistoryTransfer,
} from '../wire/console.js';
import { customerMessages, memberAnswer } from './admin.js';
import type { ServiceContext } from './context.js';
import { AdminInputError } from './fixture-input.js';
import { toFixtureTag } from './fixture.js';

type Query = Record<string, string | undefined>;

const iso = (ms: number): string => new Date(ms).toISOString();


/** A customer transfer in behaviour §10.8's history shape, so the console renders both sources alike. */
export function historyTransfer(transfer: Transfer): HistoryTransfer {
  return {
    id: transfer.id,
    kind: transfer.kind,
    corpid: transfer.corpid,
    external_userid: transfer.externalUserid,
    handover_userid: transfer.handoverUserid,
    takeover_userid: transfer.takeoverUserid,
    status: transfer.status,
    started_at: iso(transfer.startedAt),
    due_at: iso(transfer.dueAt),
    ended_at: transfer.endedAt === null ? null : iso(transfer.endedAt),
    outcome: transferOutcome(transfer.kind, transfer.status),
  };
}

export async function overview(ctx: ServiceContext): Promise<ConsoleOverview> {
  const counts = await ctx.store.readConsole((reads) => reads.counts());
  const clock = await ctx.clock.state();
  return {
    corps: counts.corps,
    members: counts.members,
    customers: counts.customers,
    transfers: counts.transfers.map((row) => ({ kind: row.kind, outcome: transferOutcome(row.kind, row.status), count: row.count })),
    events: Object.fromEntries(counts.events.map((row) => [row.status, row.count])),
    clock: { now: iso(clock.now), frozen: clock.frozen, offset_seconds: Math.round((clock.now - ctx.clock.real()) / 1000) },
  };
}

export async function corps(ctx: ServiceContext): Promise<ConsoleCorp[]> {
  const rows = await ctx.store.readConsole((reads) => reads.corpsWithApps());
  return rows.map(({ corp, apps }) => ({
    corpid: corp.corpid,
    name: corp.name,
    apps: apps.map((app) => ({
      agentid: app.agentid,
      kind: app.kind,
      secret: app.secret,
      customer_contact_callable: app.customerContactCallable,
      permissions: app.permissions,
      callback: app.callback ? { url: app.callback.url, token: app.callback.token, encoding_aes_key: app.callback.encodingAesKey } : null,
    })),
  }));
}

/** Pages are small on purpose: what a screen shows at once, never a whole 100,000-customer corp. */
function pageLimit(query: Query): number {
  const limit = query['limit'] === undefined ? 50 : Number(query['limit']);
  if (!Number.isInteger(limit) || limit < 1 || limit > 500) throw new AdminInputError('limit', 'limit must be an integer from 1 to 500');
  return limit;
}

function requiredCorp(query: Query): string {
  const corpid = query['corpid'];
  if (corpid === undefined || corpid === '') throw new AdminInputError('corpid', 'corpid is required');
  return corpid;
}

export async function membersPage(ctx: ServiceContext, query: Query): Promise<{ members: ConsoleMember[]; next: string | null }> {
  const limit = pageLimit(query);
  const corpid = requiredCorp(query);
  if (!mayNameARecord(corpid) || !mayNameARecord(query['after'] ?? '')) return { members: [], next: null };
  const rows = await ctx.store.readConsole((reads) => reads.membersPage(corpid, query['after'] ?? '', limit));
  return { members: rows.map(consoleMember), next: rows.length === limit ? rows[rows.length - 1]!.member.userid : null };
}

function consoleMember({ member, customers, waitingIncoming, waitingOutgoing }: MemberLoad): ConsoleMember {
  return { ...memberAnswer(member), customers, waiting_incoming: waitingIncoming, waiting_outgoing: waitingOutgoing };
}

export async function customersPage(ctx: ServiceContext, query: Query): Promise<{ customers: ConsoleCustomer[]; next: string | null }> {
  const limit = pageLimit(query);
  const corpid = requiredCorp(query);
  const given = [corpid, query['q'], query['member'], query['tag'], query['after']].filter((v): v is string => v !== undefined);
  if (!given.every(mayNameARecord)) return { customers: [], next: null };
  const rows = await ctx.store.readConsole((reads) =>
    reads.customersPage({
      corpid,
      limit,
      ...(query['q'] ? { text: query['q'] } : {}),
      ...(query['member'] ? { userid: query['member'] } : {}),
      ...(query['tag'] ? { tag: query['tag'] } : {}),
      ...(query['after'] ? { after: query['after'] } : {}),
    }),
  );
  return { customers: rows.map(consoleCustomer), next: rows.length === limit ? rows[rows.length - 1]!.customer.externalUserid : null };
}

function consoleCustomer({ customer, followers, waiting }: CustomerListing): ConsoleCustomer {
  return {
    corpid: customer.corpid,
    external_userid: customer.externalUserid,
    name: customer.name,
    type: customer.type,
    corp_name: customer.corpName,
    followers,
    waiting: waiting ? historyTransfer(waiting) : null,
  };
}

export async function customerDetail(ctx: ServiceContext, externalUserid: string, query: Query): Promise<ConsoleCustomerDetail> {
  const corpid = requiredCorp(query);
  const notFound = new AdminInputError('external_userid', `no customer ${JSON.stringify(externalUserid)} in corp ${JSON.stringify(corpid)}`, 404);
  if (!mayNameARecord(externalUserid) || !mayNameARecord(corpid)) throw notFound;
  const read = await ctx.store.readConsole(async (reads) => {
    const [listing] = await reads.customersPage({ corpid, externalUserid, limit: 1 });
    if (!listing) return null;
    return { listing, follow: await reads.relationsOfCustomer(corpid, externalUserid), transfers: await reads.transfersOfCustomer(corpid, externalUserid) };
  });
  if (!read) throw notFound;
  const now = await ctx.clock.current();
  const use = quotaUse(
    read.transfers.map((t) => t.startedAt),
    now,
    ctx.config.quota,
  );
  return {
    ...consoleCustomer(read.listing),
    corp_full_name: read.listing.customer.corpFullName,
    position: read.listing.customer.position,
    follow: read.follow.map((r) => ({ userid: r.userid, remark: r.remark, description: r.description, tags: r.tags.map(toFixtureTag), created_at: iso(r.createdAt), add_way: r.addWay })),
    transfers: read.transfers.map(historyTransfer),
    quota: {
      window_days: ctx.config.quota.windowDays,
      max_transfers: ctx.config.quota.maxTransfers,
      used: use.used,
      left: use.left,
      next_frees_at: use.nextFreesAt === null ? null : iso(use.nextFreesAt),
    },
    messages: await customerMessages(ctx, externalUserid, corpid),
  };
}

export async function eventDetail(ctx: ServiceContext, id: number): Promise<ConsoleEvent> {
  const event = await ctx.store.readConsole((reads) => reads.event(id));
  if (!event) throw new AdminInputError('id', `no event ${id}`, 404);
  const { lastError, createdAt, ...rest } = event;
  const xml = buildEventXml(changeEventOf(event.corpid, toUnixSeconds(createdAt), event.type, event.payload));
  return { ...rest, last_error: lastError, created_at: iso(createdAt), xml };
}
