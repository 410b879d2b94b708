import { transferAll } from '../sdk/batch.js';
import type { WecomClient } from '../sdk/client.js';
import { MAX_TRANSFER_MESSAGE_CHARS } from '../wire/transfer-customer.js';
import { connect } from './connection.js';
import { CliFailure, type CliIo } from './io.js';
import type { Journal } from './journal.js';
import { summarize, writeReport } from './report.js';
import { openJournal, runChunks, stoppedRun } from './run-steps.js';
import { spreadDryRun } from './spread-dry-run.js';
import { type Hand, parseTakeovers, Spreader } from './spread.js';
import { customerIds, type TransferOptions } from './transfer-run.js';

const FULL = 40099;

/** A spread or resigned run's parameters, checked. */
export interface SpreadPlan {
  from: string;
  takeovers: string[];
  resigned: boolean;
}

export function planSpread(options: TransferOptions): SpreadPlan {
  if (!options.from || !options.to) throw new CliFailure('say who gives and who takes: --from USERID --to USERID (or --to a,b,c)', 2);
  const takeovers = parseTakeovers(options.to);
  if (takeovers.length === 0) throw new CliFailure(`--to "${options.to}" names no member: --to USERID or --to a,b,c`, 2);
  if (takeovers.includes(options.from)) throw new CliFailure(`--to names --from (${options.from}): a member cannot take over their own customers`, 2);
  if (options.resigned && options.message !== undefined) {
    throw new CliFailure('--message is for in-service transfers: a resigned transfer has no message (WeCom sends its own notice); drop --message', 2);
  }
  if (options.message !== undefined && [...options.message].length > MAX_TRANSFER_MESSAGE_CHARS) {
    throw new CliFailure(`--message is ${[...options.message].length} characters; WeCom takes at most ${MAX_TRANSFER_MESSAGE_CHARS}: shorten it`, 2);
  }
  return { from: options.from, takeovers, resigned: Boolean(options.resigned) };
}

/** `--all` of a resigned member: their unassigned customers (`get_unassigned_list`); else as the one-takeover run. */
export async function spreadCustomerIds(client: WecomClient, options: TransferOptions, plan: SpreadPlan): Promise<string[]> {
  if (!plan.resigned || !options.all || options.customers) return customerIds(client, options);
  const ids: string[] = [];
  for await (const row of client.unassignedCustomers({ handover: plan.from })) ids.push(row.external_userid);
  return [...new Set(ids)];
}

/** transfer_result (or its resigned twin) of one pair. */
export const resultsOf = (client: WecomClient, plan: SpreadPlan, takeover: string) =>
  plan.resigned ? client.resignedTransferResults({ handover: plan.from, takeover }) : client.transferResults({ handover: plan.from, takeover });

/** Ids sent without a recorded answer: a waiting or done transfer to any of the takeovers counts as accepted by it. */
async function settleUnknown(client: WecomClient, plan: SpreadPlan, journal: Journal, unknown: Set<string>): Promise<number> {
  if (unknown.size === 0) return 0;
  const settled: { id: string; errcode: number; to: string }[] = [];
  for (const takeover of plan.takeovers) {
    for await (const entry of resultsOf(client, plan, takeover)) {
      if (unknown.delete(entry.external_userid) && (entry.status === 1 || entry.status === 2)) settled.push({ id: entry.external_userid, errcode: 0, to: takeover });
    }
  }
  journal.result(settled);
  return settled.length;
}

export const defaultSpreadJournal = (plan: SpreadPlan) => `.handover-journal-${plan.resigned ? 'resigned-' : ''}${plan.from}-${plan.takeovers.join('+')}.jsonl`;

/**
 * `handover transfer --resigned` and `--to a,b,c`: customers dealt round-robin over the takeovers, 100 per
 * call, each takeover until it answers 40099 (full); its refused customers go to the others. Same journal
 * (with `to` on each line), resume, dry run, progress and report as the one-takeover run.
 */
export async function runSpreadTransfer(options: TransferOptions, io: CliIo): Promise<Map<string, number>> {
  const plan = planSpread(options);
  const client = connect(options);
  const ids = await spreadCustomerIds(client, options, plan);
  if (options.dryRun) {
    await spreadDryRun(client, plan, ids, io);
    return new Map();
  }
  const opened = openJournal(options.journal ?? defaultSpreadJournal(plan));
  const journal = opened.journal;
  let state = opened.state;
  const settled = await settleUnknown(client, plan, journal, state.unknown);
  state = journal.read();
  const spreader = new Spreader(plan.takeovers, new Set([...state.full].filter((t) => plan.takeovers.includes(t))));
  const retryFull = spreader.open.length > 0;
  const todo = ids.filter((id) => !state.results.has(id) || (retryFull && state.results.get(id) === FULL));
  // The whole job: a resumed --all of a resigned member no longer lists the customers already waiting.
  const job = new Set([...ids, ...state.results.keys()]);
  if (state.results.size > 0) io.out(`resuming from ${journal.path}: ${job.size - todo.length} of ${job.size} already done${settled ? ` (${settled} confirmed started)` : ''}\n`);

  const queue = [...todo];
  const stopped = (error: unknown, calls: number) => stoppedRun(error, `${calls} calls`, journal);
  await runChunks({ io, journal, hooks: options, todo: todo.length, job: job.size, counted: 'accepted', stopped }, async (steps) => {
    for (let hands: Hand[]; (hands = spreader.deal(queue)).length > 0; ) {
      const refused: string[] = [];
      for (const hand of hands) {
        await transferAll(client, {
          handover: plan.from,
          takeover: hand.takeover,
          externalUserIds: hand.ids,
          kind: plan.resigned ? 'resigned' : 'onjob',
          ...(options.message !== undefined ? { message: options.message } : {}),
          beforeChunk: (chunk) => steps.sending(chunk, hand.takeover),
          onProgress: ({ chunk }) => {
            const full = chunk.filter((o) => o.errcode === FULL).map((o) => o.externalUserId);
            if (full.length > 0) spreader.markFull(hand.takeover);
            refused.push(...full);
            const note = full.length ? ` (${hand.takeover} is full: ${full.length} go to the others)` : '';
            return steps.answered(chunk.map((o) => ({ id: o.externalUserId, errcode: o.errcode, to: hand.takeover })), full.length, note);
          },
        });
      }
      // Refused for want of room: first in line for the takeovers that still have some.
      queue.unshift(...refused);
    }
  });
  // Every takeover is full: what was never sent is recorded as 40099 so the report accounts for it.
  const answered = journal.read().results;
  const unsent = queue.filter((id) => !answered.has(id));
  journal.result(unsent.map((id) => ({ id, errcode: FULL })));
  return report(journal, job, plan, io, options.report);
}

function report(journal: Journal, job: ReadonlySet<string>, plan: SpreadPlan, io: CliIo, reportPath: string | undefined): Map<string, number> {
  const state = journal.read();
  const { results, takeovers } = state;
  const outcomes = new Map([...job].filter((id) => results.has(id)).map((id) => [id, results.get(id)!] as const));
  io.out(`${summarize(outcomes)}\n`);
  const perTakeover = plan.takeovers.map((t) => `${t} ${[...outcomes].filter(([id, errcode]) => errcode === 0 && takeovers.get(id) === t).length}`);
  if (plan.takeovers.length > 1) io.out(`accepted per takeover: ${perTakeover.join(', ')}\n`);
  const full = plan.takeovers.filter((t) => state.full.has(t));
  if (full.length > 0) io.out(`full (answered 40099, sent nothing more): ${full.join(', ')}\n`);
  if (reportPath) {
    writeReport(reportPath, outcomes, { takeovers });
    io.out(`report: ${reportPath}\n`);
  }
  return outcomes;
}
