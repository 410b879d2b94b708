import type { AddressInfo } from 'node:net';
import { resolve } from 'node:path';
import type { Config } from '../config.js';
import type { ServerStats } from '../compose.js';
import { DEMO, demoCustomerId } from '../service/demo-company.js';
import type { StartLoad } from '../service/start-fixture.js';

/** Where the server really listens, and a URL this machine can call it on. */
export function boundAddress(address: AddressInfo): { listening: string; local: string; everyInterface: boolean } {
  const everyInterface = address.address === '0.0.0.0' || address.address === '::';
  const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  const local = everyInterface ? (address.address === '::' ? '[::1]' : '127.0.0.1') : host;
  return { listening: `http://${host}:${address.port}`, local: `http://${local}:${address.port}`, everyInterface };
}

/** The store, never with a password: a PostgreSQL URL is reduced to user, host, port and database. */
export function describeStore(store: Config['store']): string {
  if (store.kind === 'sqlite') return `SQLite ${resolve(store.path)}`;
  try {
    const url = new URL(store.url);
    const database = decodeURIComponent(url.pathname.replace(/^\//, '')) || '(default)';
    return `PostgreSQL database ${database} on ${url.hostname || 'localhost'}:${url.port || '5432'}${url.username ? ` as ${decodeURIComponent(url.username)}` : ''}`;
  } catch {
    return 'PostgreSQL (connection string not a URL; not shown)';
  }
}

function duration(ms: number): string {
  if (Math.abs(ms) < 60_000) return `${Math.round(Math.abs(ms) / 1000)} s`;
  const minutes = Math.round(Math.abs(ms) / 60_000);
  const parts = [[Math.floor(minutes / 1440), 'd'], [Math.floor((minutes % 1440) / 60), 'h'], [minutes % 60, 'min']] as const;
  return parts.filter(([n]) => n > 0).map(([n, unit]) => `${n} ${unit}`).join(' ');
}

/** The server clock when it is not real time (frozen, or moved by more than a second). */
export function describeClock(clock: { now: number; frozen: boolean }, realNow: number): string | null {
  const iso = new Date(clock.now).toISOString();
  if (clock.frozen) return `clock: frozen at ${iso} (POST /admin/clock {"freeze":false} lets it run)`;
  const offset = clock.now - realNow;
  if (Math.abs(offset) < 1000) return null;
  return `clock: ${iso}, ${duration(offset)} ${offset > 0 ? 'ahead of' : 'behind'} real time`;
}

export interface BannerFacts {
  version: string;
  address: AddressInfo;
  config: Readonly<Config>;
  clock: { now: number; frozen: boolean };
  realNow: number;
  loads: { source: string; load: StartLoad }[];
  demo: boolean;
  demoLoginsMoved: string[];
}

export function banner(facts: BannerFacts): string {
  const { config } = facts;
  const bound = boundAddress(facts.address);
  const base = bound.local;
  const token = config.adminTokenSource === 'env' ? '$HANDOVER_ADMIN_TOKEN' : config.adminToken;
  const lines = [
    `handover listening on ${bound.listening}${bound.everyInterface ? ` (every interface; from this machine ${bound.local})` : ''}`,
    `handover ${facts.version}, store: ${describeStore(config.store)}`,
    config.engine.enabled ? `takeover engine: on (every ${config.engine.pollMs} ms)` : 'takeover engine: off (HANDOVER_ENGINE=off): due takeovers complete on another node or on POST /admin/clock',
    ...(config.delivery.enabled ? [] : ['callback delivery: off (HANDOVER_DELIVERY=off)']),
    ...[describeClock(facts.clock, facts.realNow)].filter((line): line is string => line !== null),
    config.adminTokenSource === 'env'
      ? 'admin token: the one in HANDOVER_ADMIN_TOKEN (not shown)  (send as Authorization: Bearer …)'
      : `admin token: ${config.adminToken}  (send as Authorization: Bearer …)`,
  ];
  if (config.adminRemote) {
    lines.push(
      bound.everyInterface || !['127.0.0.1', '::1'].includes(facts.address.address)
        ? `WARNING: /admin/ is served to remote clients (HANDOVER_ADMIN_REMOTE=on) on ${bound.listening}: anyone who reaches this port with the token controls the server`
        : 'warning: HANDOVER_ADMIN_REMOTE=on, but the server listens on loopback only',
    );
  }
  for (const { source, load } of facts.loads) {
    if (load.loaded.length > 0) lines.push(`${source}: loaded ${load.loaded.join(', ')}`);
    if (load.skipped.length > 0) lines.push(`${source}: kept ${load.skipped.join(', ')} as the database holds ${load.skipped.length > 1 ? 'them' : 'it'} (--replace reloads, undoing what happened since)`);
  }
  if (facts.demoLoginsMoved.length > 0) lines.push(`demo company: members ${facts.demoLoginsMoved.join(', ')} logged in again at the server clock (their last login was over 365 days from it)`);
  if (facts.demo) {
    lines.push(
      '',
      `demo company: corpid ${DEMO.corpid}, app ${DEMO.agentid}, secret ${DEMO.secret}`,
      'get a token:',
      `  curl '${base}/cgi-bin/gettoken?corpid=${DEMO.corpid}&corpsecret=${DEMO.secret}'`,
      `transfer two of ${DEMO.handover}'s customers to ${DEMO.takeover} (put the token in):`,
      `  curl -X POST '${base}/cgi-bin/externalcontact/transfer_customer?access_token=TOKEN' \\`,
      `    -d '{"handover_userid":"${DEMO.handover}","takeover_userid":"${DEMO.takeover}","external_userid":["${demoCustomerId(1)}","${demoCustomerId(6)}"]}'`,
      'complete it now instead of in 24 h:',
      `  curl -X POST '${base}/admin/clock' -H "Authorization: Bearer ${token}" -d '{"advance_seconds":86400}'`,
    );
  }
  return lines.join('\n');
}

/** The line printed when the server stops: what this process did. */
export function farewell(signal: string, stats: Readonly<ServerStats>, startedAt: number, stoppedAt: number): string {
  return `${signal}: stopped after ${duration(stoppedAt - startedAt)}: ${stats.requests} requests answered, ${stats.takeovers} takeovers completed by the engine, ${stats.deliveries} callback deliveries attempted`;
}
