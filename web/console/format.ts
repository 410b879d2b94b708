import type { TransferOutcome } from '../../src/wire/console.js';

/** Statuses as words (issue 12's contract): `taken_over` → "taken over". */
export function outcomeWord(outcome: TransferOutcome | string): string {
  return outcome.replace(/_/g, ' ');
}

/** Instants in UTC, the way the server clock is set and shown everywhere in handover. */
export function when(iso: string | null | undefined): string {
  if (!iso) return '—';
  return `${iso.slice(0, 10)} ${iso.slice(11, 16)} UTC`;
}

export function duration(ms: number): string {
  const sign = ms < 0 ? '-' : '';
  let rest = Math.abs(Math.round(ms / 1000));
  const days = Math.floor(rest / 86400);
  rest -= days * 86400;
  const hours = Math.floor(rest / 3600);
  rest -= hours * 3600;
  const minutes = Math.floor(rest / 60);
  const seconds = rest - minutes * 60;
  if (days > 0) return `${sign}${days} d ${hours} h ${minutes} min`;
  if (hours > 0) return `${sign}${hours} h ${minutes} min ${seconds} s`;
  return `${sign}${minutes} min ${seconds} s`;
}

const REASONS: Record<number, string> = {
  0: 'started: waiting for the takeover (24 hours)',
  40003: 'unknown or resigned member',
  40096: 'no such customer in this company',
  40098: 'the takeover member is not real-name verified',
  40099: 'the takeover member is at its customer cap',
  40129: 'a transfer of this customer is already waiting',
  40130: 'From and To are the same member',
  40131: 'From does not follow this customer',
  41054: 'the member is not active or has not logged in for a year',
  45009: 'rate limit reached; try again later',
  48002: 'this app may not transfer customers',
  60011: 'the member is outside the app’s visible range',
  610004: 'the member may not use customer contact',
};

/** A readable reason beside each errcode; 40128 says when the customer can move again. */
export function reason(errcode: number, errmsg?: string, nextPossible?: string | null): string {
  if (errcode === 40128) {
    return `transferred twice in the last 90 days; next possible on ${nextPossible ? when(nextPossible) : '(unknown)'}`;
  }
  return REASONS[errcode] ?? errmsg ?? `errcode ${errcode}`;
}
