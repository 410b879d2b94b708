import { describe, expect, it } from 'vitest';
import type { Fixture } from '../../src/wire/admin.js';
import { testBackends } from '../support/stores.js';
import { call, type Node, pool, random, useTwoNodes } from './nodes.js';

/**
 * The race test of issue 4 extended to issue 10: resigned transfers (from rita, who resigned) race
 * in-service ones (from alice) on the same customers — every customer is followed by both — across two
 * server processes, with refusals racing both, over two rounds and two takeovers. Then every invariant of
 * both kinds is checked against the database and through the APIs of both nodes.
 */
const CORP = 'wwmultinoderesigned';
const SECRET = 'multinode-resigned-secret';
const TAKEOVERS = ['bob', 'carol', 'dave'];
const CUSTOMERS = Array.from({ length: 150 }, (_, i) => `wmBoth${String(i).padStart(4, '0')}`);

function fixture(): Fixture {
  const now = Date.now();
  return {
    corps: [
      {
        corpid: CORP,
        apps: [{ agentid: 1, secret: SECRET, kind: 'self_built' }],
        members: [
          ...['alice', ...TAKEOVERS].map((userid) => ({ userid, customer_cap: 1_000_000 })),
          { userid: 'rita', dimission_time: Math.floor(now / 1000) - 86_400, last_login_at: new Date(now - 2 * 86_400_000).toISOString() },
        ],
        customers: CUSTOMERS.map((external_userid) => ({ external_userid, name: external_userid })),
        relations: CUSTOMERS.flatMap((external_userid) => ['alice', 'rita'].map((userid) => ({ userid, external_userid, createtime: 1_700_000_000, add_way: 1 }))),
      },
    ],
  };
}

const backends = await testBackends();

describe.skipIf(!backends.includes('postgres'))('resigned and in-service transfers racing on two PostgreSQL nodes (issue 10)', () => {
  const cluster = useTwoNodes(fixture);
  const token = async (node: Node) => (await call(node.baseUrl, 'GET', `/cgi-bin/gettoken?corpid=${CORP}&corpsecret=${SECRET}`)).access_token as string;

  it('keeps every invariant of both kinds under 40 concurrent calls on both nodes', async () => {
    const next = random(20261130);
    const tallies = new Map<string, number>();
    const accepted: string[] = [];
    const round = async (count: number) => {
      const tokens = await Promise.all(cluster.nodes.map(token));
      await pool(count, 40, async () => {
        const node = next() < 0.5 ? 0 : 1;
        const base = cluster.nodes[node]!.baseUrl;
        const ids = Array.from({ length: 1 + Math.floor(next() * 6) }, () => CUSTOMERS[Math.floor(next() * CUSTOMERS.length)]!);
        if (next() < 0.1) {
          await call(base, 'POST', `/admin/customers/${ids[0]}/refuse?corpid=${CORP}`);
          return;
        }
        const resigned = next() < 0.5;
        const takeover = TAKEOVERS[Math.floor(next() * TAKEOVERS.length)]!;
        const path = resigned ? '/cgi-bin/externalcontact/resigned/transfer_customer' : '/cgi-bin/externalcontact/transfer_customer';
        const handover = resigned ? 'rita' : 'alice';
        const answer = await call(base, 'POST', `${path}?access_token=${tokens[node]}`, { handover_userid: handover, takeover_userid: takeover, external_userid: ids });
        expect(answer.errcode).toBe(0);
        for (const entry of answer.customer) {
          const key = `${resigned ? 'resigned' : 'onjob'}:${entry.errcode}`;
          tallies.set(key, (tallies.get(key) ?? 0) + 1);
          if (entry.errcode === 0) accepted.push(`${entry.external_userid}|${handover}|${takeover}`);
        }
      });
      const doubles = await cluster.db.query('SELECT external_userid FROM transfers WHERE status = 2 GROUP BY external_userid HAVING COUNT(*) > 1');
      expect(doubles.rows).toEqual([]);
    };
    await round(400);
    await call(cluster.nodes[1]!.baseUrl, 'POST', '/admin/clock', { advance_seconds: 86_400 });
    await round(400);
    await call(cluster.nodes[0]!.baseUrl, 'POST', '/admin/clock', { advance_seconds: 86_400 });

    const violations: string[] = [];
    const transfers = (await cluster.db.query('SELECT id, kind, external_userid, handover_userid, takeover_userid, status FROM transfers ORDER BY id')).rows.map((t) => ({
      ...t,
      id: Number(t.id),
      status: Number(t.status),
    }));
    if (transfers.some((t) => t.status === 2)) violations.push('waiting transfers left after the clock passed them');
    if (transfers.some((t) => (t.kind === 'resigned') !== (t.handover_userid === 'rita'))) violations.push('a transfer of the wrong kind');
    const rows = transfers.map((t) => `${t.external_userid}|${t.handover_userid}|${t.takeover_userid}`).sort();
    if (rows.join() !== [...accepted].sort().join()) violations.push(`accepted answers (${accepted.length}) and transfer rows (${rows.length}) differ`);

    // Replays every customer's transfers in order (one waits at a time, so id order is completion order).
    const expectedFollowers = new Map(CUSTOMERS.map((id) => [id, new Set(['alice', 'rita'])]));
    let adds = 0;
    let dels = 0;
    for (const t of transfers) {
      const followers = expectedFollowers.get(t.external_userid)!;
      if (t.status === 3 && t.kind === 'resigned') followers.delete(t.handover_userid);
      if (t.status !== 1) continue;
      const returned = transfers.some((p) => p.id < t.id && p.status === 1 && p.external_userid === t.external_userid && p.handover_userid === t.takeover_userid);
      if (!followers.has(t.takeover_userid) && !returned) adds++;
      followers.add(t.takeover_userid);
      followers.delete(t.handover_userid);
      if (t.kind === 'onjob') dels++;
    }
    const relations = (await cluster.db.query('SELECT userid, external_userid FROM relations')).rows;
    for (const [customer, followers] of expectedFollowers) {
      const actual = relations.filter((r) => r.external_userid === customer).map((r) => r.userid).sort();
      if (actual.join() !== [...followers].sort().join()) violations.push(`${customer} followed by [${actual}] instead of [${[...followers].sort()}]`);
    }
    const counters = await cluster.db.query(
      `SELECT m.userid, m.customer_count, m.waiting_incoming,
              (SELECT COUNT(*) FROM relations r WHERE r.corpid = m.corpid AND r.userid = m.userid) AS relations
       FROM members m`,
    );
    for (const row of counters.rows) {
      if (Number(row.customer_count) !== Number(row.relations) || Number(row.waiting_incoming) !== 0) violations.push(`${row.userid}: counters off`);
    }
    const events = (await cluster.db.query('SELECT type FROM events')).rows;
    if (events.filter((e) => e.type === 'del_external_contact').length !== dels) violations.push('del events differ from completed in-service transfers');
    if (events.filter((e) => e.type === 'add_external_contact').length !== adds) violations.push(`add events differ from the expected ${adds}`);

    // Through both nodes: rita's unassigned customers are exactly her remaining relations.
    const tokens = await Promise.all(cluster.nodes.map(token));
    const listed: string[] = [];
    let cursor = '';
    for (let page = 0; page < 20; page++) {
      const answer = await call(cluster.nodes[page % 2]!.baseUrl, 'POST', `/cgi-bin/externalcontact/get_unassigned_list?access_token=${tokens[page % 2]}`, { cursor, page_size: 40 });
      listed.push(...answer.info.map((r: any) => r.external_userid));
      cursor = answer.next_cursor;
      if (answer.is_last) break;
    }
    const ritaHolds = relations.filter((r) => r.userid === 'rita').map((r) => r.external_userid).sort();
    if (listed.sort().join() !== ritaHolds.join()) violations.push('get_unassigned_list differs from rita\u2019s relations');

    console.log(`[race-resigned] transfers=${transfers.length} accepted=${accepted.length} adds=${adds} dels=${dels} by-code=${JSON.stringify(Object.fromEntries([...tallies].sort()))} violations=${violations.length}`);
    expect(violations).toEqual([]);
    expect(tallies.get('onjob:40129') ?? 0).toBeGreaterThan(0);
    expect(tallies.get('resigned:40129') ?? 0).toBeGreaterThan(0);
    expect(transfers.filter((t) => t.kind === 'resigned' && t.status === 1).length).toBeGreaterThan(0);
  }, 180_000);
});
