import cliProgress from 'cli-progress';
import { explainFailure } from './connection.js';
import { CliFailure, type CliIo } from './io.js';
import { Journal, type JournalState } from './journal.js';

/** The journal and what it holds; a corrupted journal is bad input (exit 2). */
export function openJournal(path: string): { journal: Journal; state: JournalState } {
  const journal = new Journal(path);
  try {
    return { journal, state: journal.read() };
  } catch (error) {
    throw new CliFailure((error as Error).message, 2);
  }
}

/** A run that stopped on an error: what was answered is journaled; the same command resumes. */
export function stoppedRun(error: unknown, progress: string, journal: Journal): CliFailure {
  const failure = explainFailure(error);
  return new CliFailure(`${failure.message}; stopped after ${progress} — run the same command again to resume from ${journal.path}`, failure.exitCode);
}

export class Interrupted extends Error {}

/**
 * Ctrl-C (the signal `onCtrlC` in transfer-command.ts aborts): `check` in a run's `beforeChunk` sends no chunk
 * after it; `race` ends the run at once while a call is in flight (it was journaled as sent: the next run checks it).
 */
export function interruption(signal: AbortSignal | undefined) {
  const interrupted = new Promise<never>((_, reject) => signal?.addEventListener('abort', () => reject(new Interrupted()), { once: true }));
  interrupted.catch(() => undefined);
  return {
    check: () => {
      if (signal?.aborted) throw new Interrupted();
    },
    race: <T>(work: Promise<T>): Promise<T> => Promise.race([work, interrupted]),
  };
}

/** The exit of an interrupted run: 130, as a shell reports a Ctrl-C. */
export const interruptedRun = (done: number, total: number) => new CliFailure(`interrupted after ${done} of ${total} — run the same command to resume`, 130);

/** The progress bar on a terminal (its own stream in tests, to see it stopped and line wrapping restored). */
export function progressBar(io: CliIo, total: number, format: string, payload: Record<string, number>): cliProgress.SingleBar | null {
  if (!io.isTTY || total === 0) return null;
  const bar = new cliProgress.SingleBar({ format, ...(io.progressStream ? { stream: io.progressStream } : {}) }, cliProgress.Presets.shades_classic);
  bar.start(total, 0, payload);
  return bar;
}
