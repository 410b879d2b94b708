import { appendFileSync, existsSync, readFileSync, truncateSync } from 'node:fs';

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
  /** A last line with no newline after it, cut off (a run killed while writing it) and dropped. */
  droppedTail?: string;
  /** The takeover of each id's latest result, when the journal names it. */
  takeovers: Map<string, string>;
  /** Takeovers that answered 40099 (at their cap) for some id: a spread run sends them nothing more. */
  full: Set<string>;
}

/** A damaged journal: the run stops before sending anything (exit 2). */
export class JournalDamaged extends Error {}

function parseLine(line: string): JournalLine | null {
  let entry: unknown;
  try {
    entry = JSON.parse(line);
  } catch {
    return null;
  }
  if (typeof entry !== 'object' || entry === null || Array.isArray(entry)) return null;
  const { sent, result } = entry as { sent?: unknown; result?: unknown };
  if (Array.isArray(sent) && sent.every((id) => typeof id === 'string')) return { sent };
  if (Array.isArray(result) && result.every((r) => typeof r?.id === 'string' && Number.isInteger(r?.errcode))) return { result };
  return null;
}

/**
 * An append-only JSONL journal: `sent` is written (and flushed) before each call, `result` after it, so a
 * run killed at any point leaves enough behind for the next run to skip what is done and never send an
 * id twice without first checking whether its transfer started.
 */
export class Journal {
  constructor(readonly path: string) {}

  /**
   * Validates the whole journal before anything is sent (issue 11, defect 13). Each line is written whole
   * and then its newline, so only the last line can be cut by a crash: without its newline it is dropped
   * (and cut from the file, so the next line does not join it). A damaged line that ends with a newline,
   * or any damaged earlier line, is not a crash: it throws JournalDamaged.
   */
  read(): JournalState {
    const state: JournalState = { results: new Map(), unknown: new Set(), takeovers: new Map(), full: new Set() };
    if (!existsSync(this.path)) return state;
    const text = readFileSync(this.path, 'utf8');
    const lines = text.split('\n');
    const tail = lines.pop()!;
    lines.forEach((line, index) => {
      if (line.trim() === '') return;
      const entry = parseLine(line);
      if (!entry) {
        throw new JournalDamaged(
          `journal ${this.path} line ${index + 1} is damaged (${JSON.stringify(line.slice(0, 40))}), and it is not a write cut off by a crash: nothing was sent. ` +
            'Repair or delete that line; moving the file away would send again the ids it records',
        );
      }
      // Sent after its last result (a spread run re-routes what a full takeover refused): unknown again.
      if ('sent' in entry) {
        for (const id of entry.sent) state.unknown.add(id);
        return;
      }
      for (const { id, errcode, to } of entry.result) {
        state.results.set(id, errcode);
        state.unknown.delete(id);
        if (typeof to === 'string') state.takeovers.set(id, to);
        if (typeof to === 'string' && errcode === 40099) state.full.add(to);
      }
    });
    if (tail.trim() !== '') {
      state.droppedTail = tail;
      truncateSync(this.path, Buffer.byteLength(text) - Buffer.byteLength(tail));
    }
    return state;
  }

  sent(ids: readonly string[], to?: string): void {
    appendFileSync(this.path, `${JSON.stringify({ sent: [...ids], ...(to !== undefined ? { to } : {}) } satisfies JournalLine)}\n`);
  }

  result(results: readonly JournalResult[]): void {
    if (results.length > 0) appendFileSync(this.path, `${JSON.stringify({ result: [...results] } satisfies JournalLine)}\n`);
  }
}
