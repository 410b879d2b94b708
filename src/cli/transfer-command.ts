import type { Command, CommanderError } from 'commander';
import { explainFailure } from './connection.js';
import { CliFailure, type CliIo, processIo } from './io.js';
import { runStatus } from './status-command.js';
import { runTransfer, type TransferOptions } from './transfer-run.js';

/** Credentials from the environment, read by the caller (only config.ts reads the environment). */
export interface CliEnvironment {
  corpId?: string;
  secret?: string;
}

export async function guarded(io: CliIo, work: () => Promise<unknown>, command = 'handover transfer'): Promise<void> {
  try {
    await work();
  } catch (error) {
    const failure = explainFailure(error);
    io.err(`${command}: ${failure.message}\n`);
    // Interrupted: a call may still be in flight; its outcome is checked by the next run, not waited for.
    if (failure.exitCode === 130) process.exit(130);
    process.exitCode = failure.exitCode;
  }
}

/** Ctrl-C during `work` aborts the signal (the run then ends with 130); a second Ctrl-C kills at once. */
export async function onCtrlC<T>(work: (signal: AbortSignal) => Promise<T>): Promise<T> {
  const controller = new AbortController();
  const abort = () => controller.abort();
  process.once('SIGINT', abort);
  try {
    return await work(controller.signal);
  } finally {
    process.removeListener('SIGINT', abort);
  }
}

/** Commander's own errors (unknown flag, missing value) as one line with the way to help. */
export const oneLine = (help: string) => (text: string, write: (text: string) => void) => write(`${text.trim().replace(/\s*\n\s*/g, ' ')} (see ${help})\n`);

/** Usage errors (unknown flag, missing value) exit 2 like other bad input; --help and --version exit 0. */
export const usageExit = (error: CommanderError): never => process.exit(error.exitCode === 0 ? 0 : 2);

export interface CommonFlags {
  from: string;
  to: string;
  corpid?: string;
  secret?: string;
  baseUrl: string;
}

export function connection(flags: CommonFlags, env: CliEnvironment) {
  return { corpid: flags.corpid ?? env.corpId, secret: flags.secret ?? env.secret, baseUrl: flags.baseUrl };
}

/** Adds `handover transfer` and `handover transfer status` (explicit registration, architecture rule 8). */
export function registerTransferCommand(program: Command, env: CliEnvironment, io: CliIo = processIo()): void {
  const transfer = program
    .command('transfer')
    .description('transfer customers from one member to another, 100 per call, resumable (real WeCom by default, handover with --base-url)')
    // Not requiredOption: commander would demand them of `transfer status` too; runTransfer checks them.
    .option('--from <userid>', 'the handover member')
    .option('--to <userid>', 'the takeover member, or several as a,b,c (round-robin, each until it answers 40099)')
    .option('--resigned', '--from has resigned: customers from get_unassigned_list, sent with resigned/transfer_customer')
    .option('--customers <file>', 'CSV (external_userid column) or JSON list of customers')
    .option('--all', 'every customer of --from')
    .option('--message <text>', 'transfer_success_msg shown to the customers')
    .option('--corpid <corpid>', 'corp id (default: $WECOM_CORPID)')
    .option('--secret <secret>', 'app secret (default: $WECOM_SECRET)')
    .option('--base-url <url>', 'API base URL', 'https://qyapi.weixin.qq.com')
    .option('--journal <file>', 'resumable journal (default .handover-journal-FROM-TO.jsonl)')
    .option('--dry-run', 'plan only: which ids are not FROM’s customers, which already wait, how many calls')
    .option('--report <file>', 'write one CSV row per customer')
    .showHelpAfterError(false)
    .configureOutput({ outputError: oneLine('handover transfer --help') })
    .exitOverride(usageExit)
    .enablePositionalOptions()
    .action((flags: CommonFlags & Omit<TransferOptions, 'corpid' | 'secret' | 'baseUrl'>) =>
      guarded(io, () => onCtrlC((interrupt) => runTransfer({ ...flags, ...connection(flags, env), interrupt }, io))),
    );
  transfer
    .command('status')
    .description('counts per status for a pair (waiting / done / refused / takeover full) and the next due takeover')
    .requiredOption('--from <userid>', 'the handover member')
    .requiredOption('--to <userid>', 'the takeover member, or several as a,b,c')
    .option('--resigned', 'resigned transfers (resigned/transfer_result)')
    .option('--corpid <corpid>', 'corp id (default: $WECOM_CORPID)')
    .option('--secret <secret>', 'app secret (default: $WECOM_SECRET)')
    .option('--base-url <url>', 'API base URL', 'https://qyapi.weixin.qq.com')
    .option('--watch', 'repeat until nothing waits')
    .option('--interval <seconds>', 'seconds between --watch rounds', '10')
    .showHelpAfterError(false)
    .configureOutput({ outputError: oneLine('handover transfer status --help') })
    .exitOverride(usageExit)
    .action((flags: CommonFlags & { watch?: boolean; interval: string; resigned?: boolean }) =>
      guarded(io, () => {
        const intervalSeconds = Number(flags.interval);
        if (!Number.isFinite(intervalSeconds) || intervalSeconds <= 0) throw new CliFailure(`--interval must be a number of seconds above 0, not "${flags.interval}"`, 2);
        return runStatus({ from: flags.from, to: flags.to, ...connection(flags, env), ...(flags.watch ? { watch: true } : {}), ...(flags.resigned ? { resigned: true } : {}), intervalSeconds }, io);
      }),
    );
}
