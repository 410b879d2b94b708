// What one B-tree entry at a random place costs, in rows of baseline 2 (the raw INSERT), measured side by
// side in one process with the server's settings (WAL, synchronous NORMAL, exclusive locking, 64 MB cache):
//   1. baseline 2: N transfer-shaped rows inserted in one transaction;
//   2. the same N rows updated in due (= id) order, 2,000 per transaction, with a partial unique index on
//      (corpid, external_userid) WHERE status = 2 — the shape of transfers_one_waiting — so each update also
//      deletes one index entry at a random place;
//   3. the same updates without that index (only sequential pages change).
// (2 − 3) ÷ 1 is what each random entry adds, in raw-INSERT rows. CPU time (user + system) is reported next to
// wall time because on a shared machine wall time mostly measures the neighbours.
//   node bench/profile/random-page-floor.js [rows=1000000] [batch=2000]
import { createHash } from 'node:crypto';
import { rmSync, mkdtempSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const Database = createRequire(import.meta.url)('better-sqlite3');
const rows = Number(process.argv[2] ?? 1_000_000);
const batch = Number(process.argv[3] ?? 2000);
const dir = mkdtempSync(join(tmpdir(), 'handover-floor-'));
const path = join(dir, 'floor.sqlite');

const db = new Database(path);
db.pragma('locking_mode = EXCLUSIVE');
db.pragma('journal_mode = WAL');
db.pragma('synchronous = NORMAL');
db.pragma('cache_size = -65536');
const ids = Array.from({ length: rows }, (_, i) => `wm${createHash('sha1').update(`bench-customer-${i}`).digest('base64url').slice(0, 30)}`);
const cpuMs = () => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
};
function measure(work, count) {
  const cpu = cpuMs();
  const wall = performance.now();
  work();
  return { wallUs: ((performance.now() - wall) * 1000) / count, cpuUs: ((cpuMs() - cpu) * 1000) / count };
}

db.exec('CREATE TABLE t (id INTEGER PRIMARY KEY, corpid TEXT, external_userid TEXT, handover TEXT, takeover TEXT, status INTEGER, started_at INTEGER, due_at INTEGER, ended_at INTEGER)');
const insert = db.prepare('INSERT INTO t (corpid, external_userid, handover, takeover, status, started_at, due_at, ended_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)');
const raw = measure(() => db.transaction(() => ids.forEach((id, i) => insert.run('wwbench0000000001', id, 'm0000', 'taker', 2, i, i, null)))(), rows);

const update = db.prepare('UPDATE t SET status = 1, ended_at = 5 WHERE id = ?');
const rounds = Math.min(100, Math.floor(rows / batch / 2));
const updates = (first) => () => {
  for (let r = first; r < first + rounds; r++) db.transaction(() => { for (let id = r * batch + 1; id <= (r + 1) * batch; id++) update.run(id); })();
};
db.exec('CREATE UNIQUE INDEX t_one_waiting ON t (corpid, external_userid) WHERE status = 2');
db.pragma('wal_checkpoint(TRUNCATE)');
const random = measure(updates(0), rounds * batch);
db.exec('DROP INDEX t_one_waiting');
db.pragma('wal_checkpoint(TRUNCATE)');
const sequential = measure(updates(rounds), rounds * batch);
db.close();
rmSync(dir, { recursive: true, force: true });

const f = (x) => x.toFixed(2);
console.log(`${rows.toLocaleString('en-US')} rows, ${batch.toLocaleString('en-US')} per transaction (µs per row, wall / CPU)`);
console.log(`  raw INSERT (baseline 2)               ${f(raw.wallUs)} / ${f(raw.cpuUs)}  (${Math.round(1e6 / raw.wallUs).toLocaleString('en-US')} rows/s)`);
console.log(`  UPDATE in place, sequential pages     ${f(sequential.wallUs)} / ${f(sequential.cpuUs)}`);
console.log(`  the same + one random index entry     ${f(random.wallUs)} / ${f(random.cpuUs)}`);
console.log(`  one random entry = ${f((random.cpuUs - sequential.cpuUs) / raw.cpuUs)} raw-INSERT rows of CPU, ${f((random.wallUs - sequential.wallUs) / raw.wallUs)} of wall time`);
