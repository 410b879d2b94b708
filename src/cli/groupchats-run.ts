import type { WecomClient } from '../sdk/client.js';
import { explainErrcode, WecomError } from '../sdk/errors.js';
import { transferGroupchatsAll } from '../sdk/groupchat-batch.js';
import type { GroupChatStatus } from '../wire/group-chats.js';
import { connect, type ConnectionOptions } from './connection.js';
import { CliInputError, readCustomersFile } from './customers-file.js';
import { CliFailure, type CliIo } from './io.js';
import type { Journal } from './journal.js';
import { summarize, writeReport, type OutcomeWording } from './report.js';
import { type ChunkHooks, openJournal, runChunks, stoppedRun } from './run-steps.js';

export interface GroupchatTransferOptions extends ConnectionOptions, ChunkHooks {
  from: string;
  to: string;
  /** The owner has resigned: `groupchat/transfer` instead of `groupchat/onjob_transfer`. */
  resigned?: boolean;
  all?: boolean;
  /** CSV (`chat_id` column, or a single column) or JSON list of chat ids. */
  chats?: string;
  journal?: string;
  dryRun?: boolean;
  report?: string;
}

const sample = (list: string[]) => (list.length ? `: ${list.slice(0, 10).join(', ')}${list.length > 10 ? ', …' : ''}` : '');

export function groupWording(resigned: boolean | undefined): OutcomeWording {
  return {
    noun: 'group chats',
    idColumn: 'chat_id',
    explain: (errcode) =>
      errcode === 0
        ? resigned ? 'inheritance started: the new owner takes the group over shortly' : 'transferred: the new owner owns the group now'
        : errcode === 40128 ? 'the group was transferred twice in the last 90 days, or 300 groups of this owner were assigned today' : explainErrcode(errcode),
  };
}

/** The groups `--from` owns now, with their status (0 normal, 1 waiting for inheritance, 2 in progress). */
async function ownedGroups(client: WecomClient, from: string): Promise<Map<string, GroupChatStatus>> {
  const owned = new Map<string, GroupChatStatus>();
  for await (const { chat_id, status } of client.groupchats({ owners: [from] })) owned.set(chat_id, status);
  return owned;
}

async function chatIds(options: GroupchatTransferOptions, owned: Map<string, GroupChatStatus>, answered: ReadonlyMap<string, number>): Promise<string[]> {
  if (options.chats && options.all) throw new CliFailure('pass either --chats FILE or --all, not both', 2);
  // A resigned owner's groups waiting for inheritance (1); an in-service owner's, all of them.
  if (options.all) return [...owned].filter(([, status]) => (options.resigned ? status === 1 : true)).map(([id]) => id);
  if (!options.chats) throw new CliFailure('say which groups: --chats FILE (CSV or JSON of chat_id) or --all', 2);
  let ids: string[];
  try {
    ids = await readCustomersFile(options.chats, 'chat_id');
  } catch (error) {
    if (error instanceof CliInputError) throw new CliFailure(error.message, 2);
    throw error;
  }
  // The APIs take any group; the CLI moves only --from's, so a wrong file cannot move someone else's.
  const foreign = ids.filter((id) => !owned.has(id) && !answered.has(id));
  if (foreign.length > 0) throw new CliFailure(`${foreign.length} chats in ${options.chats} are not groups of ${options.from}${sample(foreign)} — remove them or check --from`, 2);
  return ids;
}

async function dryRun(options: GroupchatTransferOptions, ids: string[], owned: Map<string, GroupChatStatus>, io: CliIo): Promise<void> {
  const inProgress = ids.filter((id) => owned.get(id) === 2);
  const wrongKind = ids.filter((id) => (options.resigned ? owned.get(id) === 0 : owned.get(id) === 1 || owned.get(id) === 2));
  const sendable = ids.filter((id) => !inProgress.includes(id) && !wrongKind.includes(id));
  io.out(
    [
      `dry run: ${ids.length} group chats of ${options.from} to ${options.to}${options.resigned ? ' (resigned owner)' : ''}, nothing sent`,
      `  ${inProgress.length} are being inherited already (would be 90507)${sample(inProgress)}`,
      options.resigned
        ? `  ${wrongKind.length} have an owner in service (would be 90500: use the command without --resigned)${sample(wrongKind)}`
        : `  ${wrongKind.length} have an owner who resigned (would be 90502: add --resigned)${sample(wrongKind)}`,
      `  ${sendable.length} would be sent in ${Math.ceil(sendable.length / 100)} calls of at most 100`,
      '  the 2-per-90-days and 300-a-day limits (40128) cannot be read from WeCom: they show only when sending',
      '',
    ].join('\n'),
  );
}

/** Chats sent without a recorded answer: one whose owner is now `--to`, or (resigned) in progress, was transferred. */
async function settleUnknown(client: WecomClient, options: GroupchatTransferOptions, journal: Journal, unknown: Set<string>, owned: Map<string, GroupChatStatus>): Promise<number> {
  const settled: { id: string; errcode: number }[] = [];
  for (const id of unknown) {
    if (options.resigned && owned.get(id) === 2) {
      settled.push({ id, errcode: 0 });
      continue;
    }
    try {
      if ((await client.groupchatGet({ chat_id: id })).group_chat.owner === options.to) settled.push({ id, errcode: 0 });
    } catch (error) {
      if (!(error instanceof WecomError)) throw error;
    }
  }
  journal.result(settled);
  return settled.length;
}

/** `handover groupchats transfer`: a member's customer groups to a new owner, 100 per call, resumable. */
export async function runGroupchatTransfer(options: GroupchatTransferOptions, io: CliIo): Promise<Map<string, number>> {
  if (!options.from || !options.to) throw new CliFailure('say who gives and who takes: --from USERID --to USERID', 2);
  if (options.to.includes(',')) throw new CliFailure('groupchats transfer takes one --to: a group has one owner', 2);
  if (options.from === options.to) throw new CliFailure('--from and --to are the same member (would be 90504)', 2);
  const client = connect(options);
  const { journal, state } = openJournal(options.journal ?? `.handover-journal-groupchats-${options.resigned ? 'resigned-' : ''}${options.from}-${options.to}.jsonl`);
  const owned = await ownedGroups(client, options.from);
  const ids = await chatIds(options, owned, state.results);
  if (options.dryRun) {
    await dryRun(options, ids, owned, io);
    return new Map();
  }
  const settled = await settleUnknown(client, options, journal, state.unknown, owned);
  const known = journal.read().results;
  const todo = ids.filter((id) => !known.has(id));
  // The whole job: a resumed --all no longer lists the groups already given away.
  const job = new Set([...ids, ...known.keys()]);
  if (known.size > 0) io.out(`resuming from ${journal.path}: ${job.size - todo.length} of ${job.size} already done${settled ? ` (${settled} confirmed transferred)` : ''}\n`);

  const stopped = (error: unknown, calls: number) => stoppedRun(error, `${calls} of ${Math.ceil(todo.length / 100)} calls`, journal);
  await runChunks({ io, journal, hooks: options, todo: todo.length, job: job.size, counted: 'transferred', stopped }, (steps) =>
    transferGroupchatsAll(client, {
      chatIds: todo,
      newOwner: options.to,
      ...(options.resigned ? { resigned: true } : {}),
      beforeChunk: (chunk) => steps.sending(chunk),
      onProgress: ({ chunk }) => steps.answered(chunk.map((o) => ({ id: o.chatId, errcode: o.errcode }))),
    }),
  );
  const results = journal.read().results;
  const outcomes = new Map([...job].filter((id) => results.has(id)).map((id) => [id, results.get(id)!] as const));
  const wording = groupWording(options.resigned);
  io.out(`${summarize(outcomes, wording)}\n`);
  if (options.report) {
    writeReport(options.report, outcomes, wording);
    io.out(`report: ${options.report}\n`);
  }
  return outcomes;
}
