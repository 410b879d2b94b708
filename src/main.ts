import { Command, type CommanderError, InvalidArgumentError } from 'commander';
import { registerTransferCommand } from './cli/transfer-command.js';
import { ConfigError, transferCredentials } from './config.js';
import { serve, type ServeOptions } from './serve/serve.js';
import { HANDOVER_VERSION } from './version.js';
import { registerGroupchatsCommand } from './cli/groupchats-command.js';

function port(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0 || n > 65535) throw new InvalidArgumentError('a port is an integer from 0 to 65535');
  return n;
}

/** `--version` on every command (issue 14), not only on `handover`. */
function withVersion(command: Command): void {
  command.version(HANDOVER_VERSION, '-V, --version', 'print the handover version');
  for (const sub of command.commands) withVersion(sub);
}

/** The `handover` command. Subcommands are registered here explicitly (architecture rule 8). */
export async function main(argv: string[]): Promise<void> {
  const program = new Command('handover')
    .description('WeCom in-service customer transfer, on your own machine')
    .showHelpAfterError('(run handover --help for usage)')
    // Options after a subcommand belong to it: `transfer status --from` must not be read as `transfer --from`.
    .enablePositionalOptions();
  program
    .command('serve')
    .description('run the WeCom-compatible server (SQLite by default, PostgreSQL with --database-url or DATABASE_URL)')
    .option('--port <n>', 'port to listen on (default 8080, env HANDOVER_PORT)', port)
    .option('--host <address>', 'address to bind (default 127.0.0.1, env HANDOVER_HOST)')
    .option('--db <path>', 'SQLite database file (default handover.sqlite, env HANDOVER_DB)')
    .option('--database-url <url>', 'PostgreSQL connection string (env DATABASE_URL)')
    .option('--fixture <file>', 'load the corps of this fixture that the database does not hold yet')
    .option('--demo', 'seed the demo company (unless the database holds it) and print ready curl commands')
    .option('--replace', 'with --fixture or --demo: replace the corps they name, undoing what happened to them since')
    // Bad flags are configuration errors like bad settings: exit 2 (help and --version exit 0).
    .exitOverride((error: CommanderError) => process.exit(error.exitCode === 0 ? 0 : 2))
    .action(async (options: ServeOptions) => {
      try {
        await serve(options, HANDOVER_VERSION, (text) => process.stdout.write(text));
      } catch (error) {
        process.stderr.write(`handover serve: ${(error as Error).message}\n`);
        process.exit(error instanceof ConfigError ? 2 : 1);
      }
    });
  registerTransferCommand(program, transferCredentials());
  registerGroupchatsCommand(program, transferCredentials());
  withVersion(program);
  await program.parseAsync(argv);
}
