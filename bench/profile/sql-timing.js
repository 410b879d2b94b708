// Loaded with `node --import` into a server child when BENCH_PROFILE is on. A CPU profile charges
// SQLite's time to the few JS wrappers that call it (`all`, `run`, `runGroup`), which names no query;
// this times every prepared statement instead (total and slowest call) and, at exit, writes the totals per SQL text to
// $BENCH_SQL_TIMING_FILE. Costs two clock reads per statement.
import { writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';

const file = process.env.BENCH_SQL_TIMING_FILE;
// The server's own better-sqlite3 (cwd is the repository root): ESM imports of it share this instance.
const Database = createRequire(`${process.cwd()}/`)('better-sqlite3');
const probe = new Database(':memory:');
const Statement = probe.prepare('SELECT 1').constructor;
probe.close();

const totals = new Map();
for (const method of ['run', 'get', 'all']) {
  const original = Statement.prototype[method];
  Statement.prototype[method] = function timed(...args) {
    const began = process.hrtime.bigint();
    try {
      return original.apply(this, args);
    } finally {
      const entry = totals.get(this.source) ?? { ns: 0n, calls: 0, maxNs: 0n };
      const took = process.hrtime.bigint() - began;
      entry.ns += took;
      if (took > entry.maxNs) entry.maxNs = took;
      entry.calls++;
      totals.set(this.source, entry);
    }
  };
}

process.once('exit', () => {
  if (!file) return;
  const rows = [...totals].map(([sql, { ns, calls, maxNs }]) => ({ sql, ms: Number(ns) / 1e6, calls, maxMs: Number(maxNs) / 1e6 }));
  writeFileSync(file, JSON.stringify({ uptimeMs: process.uptime() * 1000, statements: rows }));
});
