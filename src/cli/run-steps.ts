import cliProgress from 'cli-progress';
import { explainFailure } from './connection.js';
import { CliFailure, type CliIo } from './io.js';
import { Journal, type JournalResult, type JournalState } from './journal.js';

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

class Interrupted extends Error {}

/**
 * Ctrl-C (the signal `onCtrlC` in transfer-command.ts aborts): `check` before each call sends no chunk
 * after it; `race` ends the run at once while a call is in flight (it was journaled as sent: the next run checks it).
 */
function interruption(signal: AbortSignal | undefined) {
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
const interruptedRun = (done: number, total: number) => new CliFailure(`interrupted after ${done} of ${total} — run the same command to resume`, 130);

/** The progress bar on a terminal (its own stream in tests, to see it stopped and line wrapping restored). */
function progressBar(io: CliIo, total: number, format: string, payload: Record<string, number>): cliProgress.SingleBar | null {
  if (!io.isTTY || total === 0) return null;
  const bar = new cliProgress.SingleBar({ format, ...(io.progressStream ? { stream: io.progressStream } : {}) }, cliProgress.Presets.shades_classic);
  bar.start(total, 0, payload);
  return bar;
}

/** A test hook's crash: the run dies as a killed process would, between a call's answer and its journal line. */
export class SimulatedCrash extends Error {}

/** What every chunked run takes from its options: Ctrl-C and the test hooks. */
export interface ChunkHooks {
  /** Test hook: die (as a crash would) after sending this many chunks, before recording the last result. */
  crashAfterChunks?: number;
  /** Test hook: awaited after each chunk's result is journaled (e.g. to move the server clock between chunks). */
  afterChunk?: (progress: { chunks: number; done: number; total: number }) => void | Promise<void>;
  /** Ctrl-C: no chunk is sent after it; the run ends at once with exit code 130 (the journal has the rest). */
  interrupt?: AbortSignal;
}

export interface ChunkRun {
  io: CliIo;
  journal: Journal;
  hooks: ChunkHooks;
  /** How many ids this run sends, and the whole job's (with what earlier runs did): progress and the Ctrl-C exit count them. */
  todo: number;
  job: number;
  /** What an answer of errcode 0 is called on the progress line: customers are `accepted`, groups `transferred`. */
  counted: 'accepted' | 'transferred';
  /** The exit of a run stopped by an error after `calls` answered calls (what was answered is journaled). */
  stopped: (error: unknown, calls: number) => CliFailure;
}

/** What a run's sender calls around each call it makes. */
export interface ChunkSteps {
  /** Before a call: nothing is sent after Ctrl-C; the ids are journaled as sent (with their takeover in spread runs). */
  sending(ids: readonly string[], to?: string): void;
  /**
   * After a call: its answers are journaled and the progress shown. `requeued` of them (refused for want of room,
   * sent again to another takeover) do not count as done; `note` ends the progress line.
   */
  answered(results: JournalResult[], requeued?: number, note?: string): Promise<void>;
}

/**
 * The chunk driver of `transfer`, spread/resigned `transfer` and `groupchats transfer`: `send` makes the calls
 * and reports each through `steps`; this journals, shows progress, and turns Ctrl-C into exit 130 and any other
 * error into `run.stopped`. Resolves when `send` has sent everything.
 */
export async function runChunks(run: ChunkRun, send: (steps: ChunkSteps) => Promise<unknown>): Promise<void> {
  const { io, journal, hooks, counted } = run;
  const bar = progressBar(io, run.todo, ` {bar} {value}/{total} sent, {${counted}} ${counted}`, { [counted]: 0 });
  const interrupt = interruption(hooks.interrupt);
  let calls = 0;
  let done = 0;
  let succeeded = 0;
  const steps: ChunkSteps = {
    sending: (ids, to) => {
      interrupt.check();
      journal.sent(ids, to);
    },
    answered: async (results, requeued = 0, note = '') => {
      calls++;
      if (hooks.crashAfterChunks !== undefined && calls >= hooks.crashAfterChunks) throw new SimulatedCrash('simulated crash');
      journal.result(results);
      done += results.length - requeued;
      succeeded += results.filter((r) => r.errcode === 0).length;
      if (bar) bar.update(done, { [counted]: succeeded });
      else io.out(`sent ${done}/${run.todo}, ${succeeded} ${counted}${note}\n`);
      await hooks.afterChunk?.({ chunks: calls, done, total: run.todo });
    },
  };
  try {
    await interrupt.race(send(steps));
  } catch (error) {
    if (error instanceof SimulatedCrash) throw error;
    // A call in flight was journaled as sent: the next run checks it (transfer_result, groupchat/get) before resending.
    if (error instanceof Interrupted) throw interruptedRun(run.job - run.todo + done, run.job);
    throw run.stopped(error, calls);
  } finally {
    bar?.stop();
  }
}
