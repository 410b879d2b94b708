// The closing table (figure, value, baseline, ratio, target, met?) as aligned text and as JSON.
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { judge, ratioOf } from './targets.js';

/**
 * One line of the table. `value` is in `unit`, `baseline` in `baselineUnit`; `ratio` is value ÷ baseline;
 * `met` is judged against `target` (targets.js: a share of the baseline, or a bound on the value) and is
 * null for a row without one. `valid: false` (answers that were not errcode 0) never meets a target;
 * `met` given explicitly (a figure that failed) wins.
 */
export function row({ figure, value, unit, baseline = null, baselineUnit = unit, baselineOf = null, target = null, valid = true, met, note = null }) {
  return {
    figure,
    value,
    unit,
    baseline,
    baselineUnit,
    baselineOf,
    ratio: ratioOf(value, baseline),
    target: target?.text ?? null,
    met: met !== undefined ? met : judge(target, { value, baseline, valid }),
    note,
  };
}

function number(value, unit) {
  if (value === null || value === undefined || Number.isNaN(value)) return '—';
  const digits = unit === 'ms' || unit === 's' || unit.startsWith('ms ') ? (value < 10 ? 2 : 1) : 0;
  return `${value.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits })} ${unit}`;
}

export function formatTable(rows) {
  const header = ['figure', 'value', 'baseline', 'ratio', 'target', 'met?'];
  const lines = rows.map((r) => [
    r.figure,
    number(r.value, r.unit),
    r.baseline === null ? '—' : `${number(r.baseline, r.baselineUnit)}${r.baselineOf ? ` (${r.baselineOf})` : ''}`,
    r.ratio === null ? '—' : `${(r.ratio * 100).toFixed(r.ratio < 0.1 ? 1 : 0)}%`,
    r.target ?? '—',
    r.met === null ? '—' : r.met ? 'yes' : 'NO',
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...lines.map((l) => l[i].length)));
  const render = (cells) => cells.map((c, i) => (i === 0 || i >= 4 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join('  ').trimEnd();
  const notes = rows.filter((r) => r.note).map((r) => `  ${r.figure}: ${r.note}`);
  return [render(header), render(widths.map((w) => '-'.repeat(w))), ...lines.map(render), ...(notes.length ? ['', 'notes:', ...notes] : [])].join('\n');
}

export function writeJson(path, report) {
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, `${JSON.stringify(report, null, 2)}\n`);
}
