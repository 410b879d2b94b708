import { transferAll } from '../sdk/batch.js';
import { MAX_TRANSFER_MESSAGE_CHARS } from '../wire/transfer-customer.js';
import type { WecomClient } from '../sdk/client.js';
import { connect, type ConnectionOptions, explainFailure, rerunMayHelp } from './connection.js';
import { CliInputError, readCustomersFile } from './customers-file.js';
import { CliFailure, type CliIo } from './io.js';
import { Journal, JournalDamaged, type JournalState } from './journal.js';
import { summarize, writeReport } from './report.js';
import { type ChunkHooks, runChunks } from './run-steps.js';
import { runSpreadTransfer } from './spread-run.js';

export interface TransferOptions extends ConnectionOptions, ChunkHooks {
  from: string;
  to: string;
  customers?: string;
  all?: boolean;
  message?: string;
  journal?: string;
  dryRun?: boolean;
  report?: string;
  /** The handover member has resigned: `get_unassigned_list` and `resigned/transfer_customer` (spread-run.ts). */
  resigned?: boolean;
}

/** The journal, validated before anything is sent: damage exits 2, a line cut off by a crash is dropped. */
function readJournal(journal: Journal, io: CliIo): JournalState {
  try {
    const state = journal.read();
    if (state.droppedTail !== undefined) {
      io.err(`warning: the last line of ${journal.path} was cut off mid-write (a crash?) and is dropped: ${JSON.stringify(state.droppedTail.slice(0, 60))}\n`);
    }
    return state;
  } catch (error) {
    if (error instanceof JournalDamaged) throw new CliFailure(error.message, 2);
    throw error;
  }
}

// The tests (and any caller that used the hook) import it from here.
export { SimulatedCrash } from './run-steps.js';

export async function customerIds(client: WecomClient, options: TransferOptions): Promise<string[]> {
  if (options.customers && options.all) throw new CliFailure('pass either --customers FILE or --all, not both', 2);
  if (options.all) return client.listExternalContacts(options.from);
  if (!options.customers) throw new CliFailure('say which customers: --customers FILE (CSV or JSON) or --all', 2);
  try {
    return await readCustomersFile(options.customers);
  } catch (error) {
    if (error instanceof CliInputError) throw new CliFailure(error.message, 2);
    throw error;
  }
}

/** Transfers that the journal says were sent without a recorded answer: started ones count as accepted. */
async function settleUnknown(client: WecomClient, options: TransferOptions, journal: Journal, unknown: Set<string>): Promise<number> {
  if (unknown.size === 0) return 0;
  const settled: { id: string; errcode: number }[] = [];
  for await (const entry of client.transferResults({ handover_userid: options.from, takeover_userid: options.to })) {
    if (unknown.has(entry.external_userid) && (entry.status === 1 || entry.status === 2)) settled.push({ id: entry.external_userid, errcode: 0 });
  }
  journal.result(settled);
  return settled.length;
}

async function dryRun(client: WecomClient, options: TransferOptions, ids: string[], io: CliIo): Promise<void> {
  const mine = new Set(await client.listExternalContacts(options.from));
  const waiting = new Set<string>();
  for await (const entry of client.transferResults({ handover_userid: options.from, takeover_userid: options.to })) {
    if (entry.status === 2) waiting.add(entry.external_userid);
  }
  const notMine = ids.filter((id) => !mine.has(id));
  const alreadyWaiting = ids.filter((id) => waiting.has(id));
  const sendable = ids.filter((id) => mine.has(id) && !waiting.has(id));
  const sample = (list: string[]) => (list.length ? `: ${list.slice(0, 10).join(', ')}${list.length > 10 ? ', …' : ''}` : '');
  io.out(
    [
      `dry run: ${ids.length} customers from ${options.from} to ${options.to}, nothing sent`,
      `  ${notMine.length} are not customers of ${options.from} (would be 40131)${sample(notMine)}`,
      `  ${alreadyWaiting.length} already wait for ${options.to} (would be 40129)${sample(alreadyWaiting)}`,
      `  ${sendable.length} would be sent in ${Math.ceil(sendable.length / 100)} calls of at most 100`,
      '  the 2-per-90-days quota (40128) and the takeover cap (40099) cannot be read from WeCom: they show only when sending',
      '',
    ].join('\n'),
  );
}

/** `handover transfer`: plan, then send in chunks of 100 with a resumable journal; returns every id's outcome. */
export async function runTransfer(options: TransferOptions, io: CliIo): Promise<Map<string, number>> {
  if (options.resigned || options.to?.includes(',')) return runSpreadTransfer(options, io);
  if (!options.from || !options.to) throw new CliFailure('say who gives and who takes: --from USERID --to USERID', 2);
  if (options.message !== undefined && [...options.message].length > MAX_TRANSFER_MESSAGE_CHARS) {
    throw new CliFailure(`--message is ${[...options.message].length} characters; WeCom takes at most ${MAX_TRANSFER_MESSAGE_CHARS}: shorten it`, 2);
  }
  const client = connect(options);
  const journal = new Journal(options.journal ?? `.handover-journal-${options.from}-${options.to}.jsonl`);
  const state = options.dryRun ? undefined : readJournal(journal, io);
  const listed = await customerIds(client, options);
  if (!state) {
    await dryRun(client, options, listed, io);
    return new Map();
  }
  const settled = await settleUnknown(client, options, journal, state.unknown);
  const known = journal.read().results;
  // --all lists FROM's customers now: those earlier runs moved are gone from the list but part of the job.
  const ids = options.all ? [...new Set([...listed, ...known.keys()])] : listed;
  const todo = ids.filter((id) => !known.has(id));
  if (known.size > 0) io.out(`resuming from ${journal.path}: ${ids.length - todo.length} of ${ids.length} already done${settled ? ` (${settled} confirmed started)` : ''}\n`);

  const plannedCalls = Math.ceil(todo.length / 100);
  const stopped = (error: unknown, calls: number) => {
    const failure = explainFailure(error);
    // What was answered is journaled; what may have been sent is checked with transfer_result on the next run.
    const next = rerunMayHelp(error) ? ` — run the same command again to resume from ${journal.path}` : '; running it again as it is would stop the same way';
    return new CliFailure(`${failure.message}; stopped after ${calls} of ${plannedCalls} calls${next}`, failure.exitCode);
  };
  await runChunks({ io, journal, hooks: options, todo: todo.length, job: ids.length, counted: 'accepted', stopped }, (steps) =>
    transferAll(client, {
      handover: options.from,
      takeover: options.to,
      externalUserIds: todo,
      ...(options.message !== undefined ? { message: options.message } : {}),
      beforeChunk: (chunk) => steps.sending(chunk),
      onProgress: ({ chunk }) => steps.answered(chunk.map((o) => ({ id: o.externalUserId, errcode: o.errcode }))),
    }),
  );
  const results = journal.read().results;
  const outcomes = new Map(ids.map((id) => [id, results.get(id)!] as const).filter(([, errcode]) => errcode !== undefined));
  io.out(`${summarize(outcomes)}\n`);
  if (options.report) {
    writeReport(options.report, outcomes);
    io.out(`report: ${options.report}\n`);
  }
  return outcomes;
}
