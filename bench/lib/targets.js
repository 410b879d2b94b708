// Issue 13's targets: every figure a share of a baseline measured in the same run, or a bound on its
// own value (a p99, a peak RSS). One place decides "met", so the table and latest.json cannot disagree.

/** At least `share` (0.4 = 40%) of the baseline the row is divided by, named `of` in the table. */
export function shareOf(share, of) {
  return Object.freeze({ kind: 'share', share, of, text: `≥ ${percent(share)} of ${of}` });
}

/** The value itself below `limit` (a latency in ms, a resident set in MB). */
export function below(limit, unit) {
  return Object.freeze({ kind: 'below', limit, unit, text: `< ${limit.toLocaleString('en-US')} ${unit}` });
}

function percent(share) {
  return `${Math.round(share * 1000) / 10}%`;
}

const measured = (x) => typeof x === 'number' && Number.isFinite(x);

/** value ÷ baseline, or null when either is missing (a figure that did not run, a skipped baseline). */
export function ratioOf(value, baseline) {
  return measured(value) && measured(baseline) && baseline !== 0 ? value / baseline : null;
}

/**
 * true/false against `target`; null when there is no target, or when a share target has no baseline to
 * be a share of (its baseline figure did not run). An invalid run (answers that were not errcode 0, a
 * wrong count) or a figure without a value never meets its target, however fast it was.
 */
export function judge(target, { value, baseline = null, valid = true }) {
  if (!target) return null;
  if (target.kind === 'share') {
    const ratio = ratioOf(value, baseline);
    if (!measured(baseline)) return null;
    return valid && ratio !== null && ratio >= target.share;
  }
  if (target.kind === 'below') return valid && measured(value) && value < target.limit;
  throw new Error(`unknown target kind ${target.kind}`);
}
