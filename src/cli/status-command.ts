import { setTimeout as sleep } from 'node:timers/promises';
import type { TransferStatus } from '../wire/transfer-result.js';
import { connect, type ConnectionOptions } from './connection.js';
import type { CliIo } from './io.js';

export interface StatusOptions extends ConnectionOptions {
  from: string;
  to: string;
  watch?: boolean;
  intervalSeconds?: number;
  /** Bounds --watch (for tests); unbounded otherwise until nothing waits or Ctrl-C. */
  maxRounds?: number;
}

const NAMES: Record<TransferStatus, string> = { 1: 'done', 2: 'waiting', 3: 'refused', 4: 'takeover full', 5: 'no record' };

/** `handover transfer status`: counts per status for the pair, and when the next takeover is due. */
export async function runStatus(options: StatusOptions, io: CliIo): Promise<Record<string, number>> {
  const client = connect(options);
  for (let round = 1; ; round++) {
    const counts: Record<string, number> = { waiting: 0, done: 0, refused: 0, 'takeover full': 0 };
    let nextDue = Number.POSITIVE_INFINITY;
    for await (const entry of client.transferResults({ handover_userid: options.from, takeover_userid: options.to })) {
      const name = NAMES[entry.status];
      counts[name] = (counts[name] ?? 0) + 1;
      if (entry.status === 2) nextDue = Math.min(nextDue, entry.takeover_time);
    }
    const due = Number.isFinite(nextDue) ? `; next takeover due ${new Date(nextDue * 1000).toISOString()}` : '';
    io.out(`${options.from} → ${options.to}: ${Object.entries(counts).map(([name, n]) => `${n} ${name}`).join(', ')}${due}\n`);
    if (!options.watch || counts['waiting'] === 0 || round >= (options.maxRounds ?? Number.POSITIVE_INFINITY)) return counts;
    await sleep((options.intervalSeconds ?? 10) * 1000);
  }
}
