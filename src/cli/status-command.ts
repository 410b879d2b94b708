import { setTimeout as sleep } from 'node:timers/promises';
import type { TransferStatus } from '../wire/transfer-result.js';
import { connect, type ConnectionOptions } from './connection.js';
import type { CliIo } from './io.js';
import { parseTakeovers } from './spread.js';

export interface StatusOptions extends ConnectionOptions {
  from: string;
  /** One takeover, or several as `a,b,c` (one line each). */
  to: string;
  /** Resigned transfers (`resigned/transfer_result`) instead of in-service ones. */
  resigned?: boolean;
  watch?: boolean;
  intervalSeconds?: number;
  /** Bounds --watch (for tests); unbounded otherwise until nothing waits or Ctrl-C. */
  maxRounds?: number;
}

const NAMES: Record<TransferStatus, string> = { 1: 'done', 2: 'waiting', 3: 'refused', 4: 'takeover full', 5: 'no record' };

/**
 * `handover transfer status`: counts per status for the pair, and when the next takeover is due; with
 * `--to a,b,c` one line per takeover and the returned counts summed over them.
 */
export async function runStatus(options: StatusOptions, io: CliIo): Promise<Record<string, number>> {
  const client = connect(options);
  const takeovers = parseTakeovers(options.to);
  for (let round = 1; ; round++) {
    const total: Record<string, number> = { waiting: 0, done: 0, refused: 0, 'takeover full': 0 };
    for (const takeover of takeovers) {
      const counts: Record<string, number> = { waiting: 0, done: 0, refused: 0, 'takeover full': 0 };
      let nextDue = Number.POSITIVE_INFINITY;
      const pair = { handover_userid: options.from, takeover_userid: takeover };
      for await (const entry of options.resigned ? client.resignedTransferResults(pair) : client.transferResults(pair)) {
        const name = NAMES[entry.status];
        counts[name] = (counts[name] ?? 0) + 1;
        total[name] = (total[name] ?? 0) + 1;
        if (entry.status === 2) nextDue = Math.min(nextDue, entry.takeover_time);
      }
      const due = Number.isFinite(nextDue) ? `; next takeover due ${new Date(nextDue * 1000).toISOString()}` : '';
      io.out(`${options.resigned ? 'resigned ' : ''}${options.from} → ${takeover}: ${Object.entries(counts).map(([name, n]) => `${n} ${name}`).join(', ')}${due}\n`);
    }
    if (!options.watch || total['waiting'] === 0 || round >= (options.maxRounds ?? Number.POSITIVE_INFINITY)) return total;
    await sleep((options.intervalSeconds ?? 10) * 1000);
  }
}
