// The benchmark's company, generated deterministically: the same ids on every run and every machine, so
// two runs differ only by the code and the machine. Customer i belongs to member floor(i / 5000).
import { createHash } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { once } from 'node:events';

export const CORP = Object.freeze({ corpid: 'wwbench0000000001', agentid: 1000002, secret: 'bench-app-secret-0001' });
/** Every transfer of figures 2–4 and 6 "hot" goes to this one member: the worst case for its cap and lock. */
export const TAKER = 'taker';
/** Figure 6 "spread": traffic shared by 50 takeover members (`taker00` … `taker49`), one per call in turn. */
export const SPREAD_TAKERS = Object.freeze(Array.from({ length: 50 }, (_, i) => `taker${String(i).padStart(2, '0')}`));
/** High enough that errcode 40099 (takeover full) never decides a figure. */
const TAKER_CAP = 10_000_000;
/** 2025-01-01, fixed so the fixture's bytes never depend on when it was generated. */
const CREATED_AT_SECONDS = 1_735_689_600;

export function memberOf(index, perMember) {
  return `m${String(Math.floor(index / perMember)).padStart(4, '0')}`;
}

/** 32 characters like WeCom's external_userid ("wm" + 30), spread like real ids rather than sequential. */
export function customerIds(count) {
  const ids = new Array(count);
  for (let i = 0; i < count; i++) ids[i] = `wm${createHash('sha1').update(`bench-customer-${i}`).digest('base64url').slice(0, 30)}`;
  return ids;
}

async function write(stream, text) {
  if (!stream.write(text)) await once(stream, 'drain');
}

/** Streams the fixture (≈100 MB for 1,000,000 customers) to `path` without building it in memory. */
export async function writeCompanyFixture(path, ids, perMember) {
  const members = Math.ceil(ids.length / perMember);
  const stream = createWriteStream(path);
  const app = { agentid: CORP.agentid, secret: CORP.secret, kind: 'self_built', customer_contact_callable: true, visible_userids: ['*'] };
  const memberRows = Array.from({ length: members }, (_, m) => ({ userid: memberOf(m * perMember, perMember), customer_cap: perMember }));
  memberRows.push({ userid: TAKER, name: 'Taker', customer_cap: TAKER_CAP });
  for (const userid of SPREAD_TAKERS) memberRows.push({ userid, name: `Taker ${userid.slice(5)}`, customer_cap: TAKER_CAP });
  await write(stream, `{"corps":[{"corpid":"${CORP.corpid}","name":"Bench Co","apps":[${JSON.stringify(app)}],"members":${JSON.stringify(memberRows)},`);
  await writeArray(stream, 'customers', ids.length, (i) => `{"external_userid":"${ids[i]}","name":"客户${i}"}`);
  await write(stream, ',');
  await writeArray(stream, 'relations', ids.length, (i) =>
    `{"userid":"${memberOf(i, perMember)}","external_userid":"${ids[i]}","createtime":${CREATED_AT_SECONDS},"add_way":1}`,
  );
  await write(stream, '}]}\n');
  stream.end();
  await once(stream, 'finish');
}

async function writeArray(stream, name, count, entry) {
  await write(stream, `"${name}":[`);
  const CHUNK = 10_000;
  for (let start = 0; start < count; start += CHUNK) {
    const parts = [];
    for (let i = start; i < Math.min(count, start + CHUNK); i++) parts.push(entry(i));
    await write(stream, (start > 0 ? ',' : '') + parts.join(','));
  }
  await write(stream, ']');
}
