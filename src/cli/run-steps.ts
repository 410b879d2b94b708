import { explainFailure } from './connection.js';
import { CliFailure } from './io.js';
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
