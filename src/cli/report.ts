import { writeFileSync } from 'node:fs';
import { explainErrcode } from '../sdk/errors.js';

/** How a summary or report names and explains what was moved: customers by default, groups for `groupchats`. */
export interface OutcomeWording {
  /** Plural noun of the summary's first line (default `customers`). */
  noun?: string;
  /** Header of the id column (default `external_userid`). */
  idColumn?: string;
  explain?: (errcode: number) => string;
  /** Adds a `takeover_userid` column (runs spreading over several takeovers). */
  takeovers?: ReadonlyMap<string, string>;
}

export function summarize(outcomes: ReadonlyMap<string, number>, wording: OutcomeWording = {}): string {
  const explain = wording.explain ?? explainErrcode;
  const counts = new Map<number, number>();
  for (const errcode of outcomes.values()) counts.set(errcode, (counts.get(errcode) ?? 0) + 1);
  const lines = [...counts.entries()]
    .sort((a, b) => a[0] - b[0])
    .map(([errcode, count]) => `  ${String(count).padStart(7)}  ${String(errcode).padEnd(6)} ${explain(errcode)}`);
  return [`${outcomes.size} ${wording.noun ?? 'customers'}:`, ...lines].join('\n');
}

function csvCell(value: string): string {
  return /[",\n\r]/.test(value) ? `"${value.replaceAll('"', '""')}"` : value;
}

/** One row per customer: external_userid, errcode, meaning (and takeover_userid when spread over several). */
export function writeReport(path: string, outcomes: ReadonlyMap<string, number>, wording: OutcomeWording = {}): void {
  const explain = wording.explain ?? explainErrcode;
  const takeovers = wording.takeovers;
  const header = [wording.idColumn ?? 'external_userid', 'errcode', 'meaning', ...(takeovers ? ['takeover_userid'] : [])].join(',');
  const rows = [...outcomes].map(([id, errcode]) => [id, String(errcode), explain(errcode), ...(takeovers ? [takeovers.get(id) ?? ''] : [])].map(csvCell).join(','));
  writeFileSync(path, `${[header, ...rows].join('\n')}\n`);
}
