// Baseline 2: what this machine's better-sqlite3 build can write at best — a plain prepared INSERT of
// transfer-like rows (the 8 data columns of src/store/sqlite/migrations/0001_init.sql `transfers`, no
// secondary index) in one transaction, into a WAL file with the server's synchronous = NORMAL.
// Usage: node sqlite-insert.js <db path> <rows> <max seconds>; prints one JSON line.
import Database from 'better-sqlite3';

const [path, rowsArg, secondsArg] = process.argv.slice(2);
const rows = Number(rowsArg);
const deadline = performance.now() + Number(secondsArg) * 1000;

const db = new Database(path);
db.pragma('journal_mode = WAL');
db.pragma('synchronous = NORMAL');
db.exec(`CREATE TABLE transfers (
  id INTEGER PRIMARY KEY,
  corpid TEXT NOT NULL,
  external_userid TEXT NOT NULL,
  handover_userid TEXT NOT NULL,
  takeover_userid TEXT NOT NULL,
  status INTEGER NOT NULL,
  started_at INTEGER NOT NULL,
  due_at INTEGER NOT NULL,
  ended_at INTEGER
)`);
const insert = db.prepare(
  'INSERT INTO transfers (corpid, external_userid, handover_userid, takeover_userid, status, started_at, due_at, ended_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)',
);

// Ids shaped like WeCom's (32 characters), built before the clock starts so only SQLite is timed.
const ids = Array.from({ length: rows }, (_, i) => `wmBaseline${String(i).padStart(22, '0')}`);
const start = Date.UTC(2025, 0, 1);
let written = 0;
const began = performance.now();
db.transaction(() => {
  for (let i = 0; i < rows; i++) {
    insert.run('wwbench', ids[i], `m${String(i % 200).padStart(4, '0')}`, 'taker', 2, start + i, start + i + 86_400_000, null);
    written++;
    if ((i & 0x3fff) === 0 && performance.now() > deadline) break;
  }
})();
const seconds = (performance.now() - began) / 1000;
db.close();
process.stdout.write(`${JSON.stringify({ rows: written, seconds, rowsPerSecond: written / seconds })}\n`);
