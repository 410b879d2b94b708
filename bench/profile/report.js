// With BENCH_PROFILE=1 every server child runs under --cpu-prof and with SQL statement timing; this
// prints, per process, its hottest JS functions and the SQL statements its time went to.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { formatTop, topFunctions } from './top-functions.js';

/** Multi-row statements differ only in how many `(?, ?)` groups they carry: one line for all of them. */
function normalise(sql) {
  return sql
    .replace(/\s+/g, ' ')
    .replace(/\?(, ?\?)+/g, '?…')
    .replace(/\(\?…\)(, ?\(\?…\))+/g, '(?…), …')
    .trim();
}

export function topStatements(file, count = 10) {
  const { uptimeMs, statements } = JSON.parse(readFileSync(file, 'utf8'));
  const grouped = new Map();
  for (const { sql, ms, calls, maxMs = 0 } of statements) {
    const key = normalise(sql);
    const entry = grouped.get(key) ?? { sql: key, ms: 0, calls: 0, maxMs: 0 };
    entry.ms += ms;
    entry.maxMs = Math.max(entry.maxMs, maxMs);
    entry.calls += calls;
    grouped.set(key, entry);
  }
  return [...grouped.values()].sort((a, b) => b.ms - a.ms).slice(0, count).map((s) => ({ ...s, share: s.ms / uptimeMs }));
}

function formatStatements(rows) {
  return rows
    .map((s) => `${(s.share * 100).toFixed(1).padStart(5)}%  ${s.ms.toFixed(0).padStart(7)} ms  ${String(s.calls).padStart(8)} calls  ${((s.ms * 1000) / s.calls).toFixed(1).padStart(8)} µs avg  ${s.maxMs.toFixed(1).padStart(7)} ms max  ${s.sql.slice(0, 160)}`)
    .join('\n');
}

export function printProfiles(dir, count = 12) {
  if (!existsSync(dir)) return;
  for (const name of readdirSync(dir).filter((n) => n.endsWith('.cpuprofile')).sort()) {
    const label = name.replace(/\.cpuprofile$/, '');
    console.log(`\n${label}: hottest functions (self time)\n${formatTop(topFunctions(join(dir, name), count))}`);
    const sql = join(dir, `${label}.sql.json`);
    if (existsSync(sql)) console.log(`${label}: SQL statements by total time (share of the process's life)\n${formatStatements(topStatements(sql, count))}`);
  }
}
