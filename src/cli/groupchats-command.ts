import type { Command } from 'commander';
import { runGroupchatTransfer, type GroupchatTransferOptions } from './groupchats-run.js';
import { type CliIo, processIo } from './io.js';
import { type CliEnvironment, type CommonFlags, connection, guarded, oneLine, onCtrlC, usageExit } from './transfer-command.js';

/** Adds `handover groupchats transfer` (explicit registration, architecture rule 8). */
export function registerGroupchatsCommand(program: Command, env: CliEnvironment, io: CliIo = processIo()): void {
  const groupchats = program.command('groupchats').description('customer groups (客户群)');
  groupchats
    .command('transfer')
    .description('give a member’s customer groups to a new owner, 100 per call, resumable (real WeCom by default, handover with --base-url)')
    .requiredOption('--from <userid>', 'the current owner')
    .requiredOption('--to <userid>', 'the new owner')
    .option('--resigned', '--from has resigned: groupchat/transfer (else groupchat/onjob_transfer)')
    .option('--all', 'every group of --from (with --resigned: those waiting for inheritance)')
    .option('--chats <file>', 'CSV (chat_id column) or JSON list of groups of --from')
    .option('--corpid <corpid>', 'corp id (default: $WECOM_CORPID)')
    .option('--secret <secret>', 'app secret (default: $WECOM_SECRET)')
    .option('--base-url <url>', 'API base URL', 'https://qyapi.weixin.qq.com')
    .option('--journal <file>', 'resumable journal (default .handover-journal-groupchats-FROM-TO.jsonl)')
    .option('--dry-run', 'plan only: which groups are in progress or of the wrong kind, how many calls')
    .option('--report <file>', 'write one CSV row per group')
    .showHelpAfterError(false)
    .configureOutput({ outputError: oneLine('handover groupchats transfer --help') })
    .exitOverride(usageExit)
    .action((flags: CommonFlags & Omit<GroupchatTransferOptions, 'corpid' | 'secret' | 'baseUrl'>) =>
      guarded(io, () => onCtrlC((interrupt) => runGroupchatTransfer({ ...flags, ...connection(flags, env), interrupt }, io)), 'handover groupchats transfer'),
    );
}
