/**
 * Answers of the admin read routes the web console uses (issue 12). Plain admin routes, usable with the
 * bearer token like the rest of `/admin/`; instants are ISO-8601 on the server clock.
 */
import type { AppKind, AppPermission, CustomerMessage, FixtureCallback, FixtureMember, FixtureTag, OutboxEvent } from './admin.js';

/** Behaviour §10.8's `outcome`; the console shows it as words (`taken_over` → "taken over"). */
export type TransferOutcome = 'waiting' | 'taken_over' | 'refused' | 'takeover_full' | 'in_progress' | 'done';

/** One transfer attempt in behaviour §10.8's shape (`GET /admin/transfers`). */
export interface HistoryTransfer {
  id: number;
  kind: string;
  corpid: string;
  external_userid?: string;
  chat_id?: string;
  handover_userid: string;
  takeover_userid: string;
  status: number;
  started_at: string;
  due_at: string | null;
  ended_at: string | null;
  outcome: TransferOutcome;
}

export interface ConsoleClock {
  now: string;
  frozen: boolean;
  /** Server clock minus real time, in seconds (0 = running on real time). */
  offset_seconds: number;
}

/** `GET /admin/overview` */
export interface ConsoleOverview {
  corps: number;
  members: number;
  customers: number;
  transfers: { kind: string; outcome: TransferOutcome; count: number }[];
  events: Record<string, number>;
  clock: ConsoleClock;
}

export interface ConsoleApp {
  agentid: number;
  kind: AppKind;
  /** The console gets an access_token with it, as an SDK would (admins can export it anyway). */
  secret: string;
  customer_contact_callable: boolean;
  permissions: AppPermission[];
  callback: FixtureCallback | null;
}

/** `GET /admin/corps` */
export interface ConsoleCorp {
  corpid: string;
  name: string;
  apps: ConsoleApp[];
}

/** `GET /admin/members?corpid=&after=&limit=` → `{members, next}`: a member as the other member routes
 * answer it (the fixture's fields; `dimission_time` in Unix seconds, only for a resigned member) and its counters. */
export interface ConsoleMember extends FixtureMember {
  corpid: string;
  customers: number;
  waiting_incoming: number;
  waiting_outgoing: number;
}

/** `GET /admin/customers?corpid=&q=&member=&tag=&after=&limit=` → `{customers, next}` */
export interface ConsoleCustomer {
  corpid: string;
  external_userid: string;
  name: string;
  type: 1 | 2;
  corp_name: string | null;
  followers: string[];
  waiting: HistoryTransfer | null;
}

export interface ConsoleFollower {
  userid: string;
  remark: string;
  description: string;
  tags: FixtureTag[];
  created_at: string;
  add_way: number;
}

export interface ConsoleQuota {
  window_days: number;
  max_transfers: number;
  /** Accepted starts inside the window ending now. */
  used: number;
  left: number;
  /** When the oldest counted start leaves the window (null when none counts). */
  next_frees_at: string | null;
}

/** `GET /admin/customers/{external_userid}?corpid=` */
export interface ConsoleCustomerDetail extends ConsoleCustomer {
  corp_full_name: string | null;
  position: string | null;
  follow: ConsoleFollower[];
  transfers: HistoryTransfer[];
  quota: ConsoleQuota;
  messages: CustomerMessage[];
}

/** `GET /admin/events/{id}` */
export interface ConsoleEvent extends OutboxEvent {
  /** The plaintext XML the receiver gets once it decrypts `Encrypt`. */
  xml: string;
}
