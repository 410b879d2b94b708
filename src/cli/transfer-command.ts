import type { Command } from 'commander';
import { explainFailure } from './connection.js';
import { type CliIo, processIo } from './io.js';
import { runStatus } from './status-command.js';
import { runTransfer, type TransferOptions } from './transfer-run.js';

/** Credentials from the environment, read by the caller (only config.ts reads process.env). */
export interface CliEnvironment {
  corpId?: string;
  secret?: string;
}

async function guarded(io: CliIo, work: () => Promise<unknown>): Promise<void> {
  try {
    await work();
  } catch (error) {
    const failure = explainFailure(error);
    io.err(`handover transfer: ${failure.message}\n`);
    process.exitCode = failure.exitCode;
  }
}

interface CommonFlags {
  from: string;
  to: string;
  corpid?: string;
  secret?: string;
  baseUrl: string;
}

function connection(flags: CommonFlags, env: CliEnvironment) {
  return { corpid: flags.corpid ?? env.corpId, secret: flags.secret ?? env.secret, baseUrl: flags.baseUrl };
}

/** Adds `handover transfer` and `handover transfer status` (explicit registration, architecture rule 8). */
export function registerTransferCommand(program: Command, env: CliEnvironment, io: CliIo = processIo()): void {
  const transfer = program
    .command('transfer')
    .description('transfer customers from one member to another, 100 per call, resumable (real WeCom by default, handover with --base-url)')
    // Not requiredOption: commander would demand them of `transfer status` too; runTransfer checks them.
    .option('--from <userid>', 'the handover member')
    .option('--to <userid>', 'the takeover member')
    .option('--customers <file>', 'CSV (external_userid column) or JSON list of customers')
    .option('--all', 'every customer of --from')
    .option('--message <text>', 'transfer_success_msg shown to the customers')
    .option('--corpid <corpid>', 'corp id (default: $WECOM_CORPID)')
    .option('--secret <secret>', 'app secret (default: $WECOM_SECRET)')
    .option('--base-url <url>', 'API base URL', 'https://qyapi.weixin.qq.com')
    .option('--journal <file>', 'resumable journal (default .handover-journal-FROM-TO.jsonl)')
    .option('--dry-run', 'plan only: which ids are not FROM’s customers, which already wait, how many calls')
    .option('--report <file>', 'write one CSV row per customer')
    .showHelpAfterError('(run handover transfer --help for usage)')
    .enablePositionalOptions()
    .action((flags: CommonFlags & Omit<TransferOptions, 'corpid' | 'secret' | 'baseUrl'>) =>
      guarded(io, () => runTransfer({ ...flags, ...connection(flags, env) }, io)),
    );
  transfer
    .command('status')
    .description('counts per status for a pair (waiting / done / refused / takeover full) and the next due takeover')
    .requiredOption('--from <userid>', 'the handover member')
    .requiredOption('--to <userid>', 'the takeover member')
    .option('--corpid <corpid>', 'corp id (default: $WECOM_CORPID)')
    .option('--secret <secret>', 'app secret (default: $WECOM_SECRET)')
    .option('--base-url <url>', 'API base URL', 'https://qyapi.weixin.qq.com')
    .option('--watch', 'repeat until nothing waits')
    .option('--interval <seconds>', 'seconds between --watch rounds', '10')
    .showHelpAfterError('(run handover transfer status --help for usage)')
    .action((flags: CommonFlags & { watch?: boolean; interval: string }) =>
      guarded(io, () =>
        runStatus({ from: flags.from, to: flags.to, ...connection(flags, env), ...(flags.watch ? { watch: true } : {}), intervalSeconds: Number(flags.interval) }, io),
      ),
    );
}
