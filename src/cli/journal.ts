import { appendFileSync, existsSync, readFileSync } from 'node:fs';

/**
 * One line of the journal: `{"sent": [ids]}` before a call, `{"result": [{"id", "errcode"}]}` after it.
 * A run spreading customers over several takeovers adds `"to"` (the takeover of that call) to both.
 */
export type JournalLine = { sent: string[]; to?: string } | { result: JournalResult[] };

export interface JournalResult {
  id: string;
  errcode: number;
  /** The takeover this id was sent to (spread runs). */
  to?: string;
}

export interface JournalState {
  /** Ids with a known outcome: they are never sent again. */
  results: Map<string, number>;
  /** Ids sent whose outcome was never recorded after that send (the run died mid-call): check before sending again. */
  unknown: Set<string>;
  /** The takeover of each id's latest result, when the journal names it. */
  takeovers: Map<string, string>;
  /** Takeovers that answered 40099 (at their cap) for some id: a spread run sends them nothing more. */
  full: Set<string>;
}

/**
 * An append-only JSONL journal: `sent` is written (and flushed) before each call, `result` after it, so a
 * run killed at any point leaves enough behind for the next run to skip what is done and never send an
 * id twice without first checking whether its transfer started.
 */
export class Journal {
  constructor(readonly path: string) {}

  read(): JournalState {
    const state: JournalState = { results: new Map(), unknown: new Set(), takeovers: new Map(), full: new Set() };
    if (!existsSync(this.path)) return state;
    const lines = readFileSync(this.path, 'utf8').split('\n');
    lines.forEach((line, index) => {
      if (line.trim() === '') return;
      let entry: JournalLine;
      try {
        entry = JSON.parse(line) as JournalLine;
      } catch {
        // A run killed while appending leaves at most its last line torn; anything earlier is corruption.
        if (index >= lines.length - 2) return;
        throw new Error(`journal ${this.path} line ${index + 1} is not JSON: move the file away or fix it`);
      }
      if (typeof entry !== 'object' || entry === null) return;
      // Sent after its last result (a spread run re-routes what a full takeover refused): unknown again.
      if ('sent' in entry && Array.isArray(entry.sent)) for (const id of entry.sent) state.unknown.add(id);
      if ('result' in entry && Array.isArray(entry.result)) {
        for (const { id, errcode, to } of entry.result) {
          state.results.set(id, errcode);
          state.unknown.delete(id);
          if (typeof to === 'string') state.takeovers.set(id, to);
          if (typeof to === 'string' && errcode === 40099) state.full.add(to);
        }
      }
    });
    return state;
  }

  sent(ids: readonly string[], to?: string): void {
    appendFileSync(this.path, `${JSON.stringify({ sent: [...ids], ...(to !== undefined ? { to } : {}) } satisfies JournalLine)}\n`);
  }

  result(results: readonly JournalResult[]): void {
    if (results.length > 0) appendFileSync(this.path, `${JSON.stringify({ result: [...results] } satisfies JournalLine)}\n`);
  }
}
