import { writeFileSync } from 'node:fs';
import { explainErrcode } from '../sdk/errors.js';

export function summarize(outcomes: ReadonlyMap<string, number>): string {
  const counts = new Map<number, number>();
  for (const errcode of outcomes.values()) counts.set(errcode, (counts.get(errcode) ?? 0) + 1);
  const lines = [...counts.entries()]
    .sort((a, b) => a[0] - b[0])
    .map(([errcode, count]) => `  ${String(count).padStart(7)}  ${String(errcode).padEnd(6)} ${explainErrcode(errcode)}`);
  return [`${outcomes.size} customers:`, ...lines].join('\n');
}

function csvCell(value: string): string {
  return /[",\n\r]/.test(value) ? `"${value.replaceAll('"', '""')}"` : value;
}

/** One row per customer: external_userid, errcode, meaning. */
export function writeReport(path: string, outcomes: ReadonlyMap<string, number>): void {
  const rows = ['external_userid,errcode,meaning', ...[...outcomes].map(([id, errcode]) => [id, String(errcode), explainErrcode(errcode)].map(csvCell).join(','))];
  writeFileSync(path, `${rows.join('\n')}\n`);
}
