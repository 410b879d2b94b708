import { readFile } from 'node:fs/promises';
import { Command, InvalidArgumentError } from 'commander';
import { composeServer } from './compose.js';
import { registerTransferCommand } from './cli/transfer-command.js';
import { registerGroupchatsCommand } from './cli/groupchats-command.js';
import { loadConfig, transferCredentials } from './config.js';
import { loadFixture } from './service/admin.js';
import { AdminInputError } from './service/fixture-input.js';
import { DEMO, demoCompany, demoCustomerId } from './service/demo-company.js';

interface ServeOptions {
  port?: number;
  host?: string;
  db?: string;
  databaseUrl?: string;
  fixture?: string;
  demo?: boolean;
}

function port(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0 || n > 65535) throw new InvalidArgumentError('a port is an integer from 0 to 65535');
  return n;
}

function banner(base: string, adminToken: string, demo: boolean): string {
  const lines = [`handover listening on ${base}`, `admin token: ${adminToken}  (send as Authorization: Bearer …)`];
  if (demo) {
    lines.push(
      '',
      `demo company: corpid ${DEMO.corpid}, app ${DEMO.agentid}, secret ${DEMO.secret}`,
      'get a token:',
      `  curl '${base}/cgi-bin/gettoken?corpid=${DEMO.corpid}&corpsecret=${DEMO.secret}'`,
      `transfer two of ${DEMO.handover}'s customers to ${DEMO.takeover} (put the token in):`,
      `  curl -X POST '${base}/cgi-bin/externalcontact/transfer_customer?access_token=TOKEN' \\`,
      `    -d '{"handover_userid":"${DEMO.handover}","takeover_userid":"${DEMO.takeover}","external_userid":["${demoCustomerId(1)}","${demoCustomerId(6)}"]}'`,
      'complete it now instead of in 24 h:',
      `  curl -X POST '${base}/admin/clock' -H 'Authorization: Bearer ${adminToken}' -d '{"advance_seconds":86400}'`,
    );
  }
  return lines.join('\n');
}

async function serve(options: ServeOptions): Promise<void> {
  const config = loadConfig({
    ...(options.port !== undefined ? { port: options.port } : {}),
    ...(options.host !== undefined ? { host: options.host } : {}),
    ...(options.db !== undefined ? { db: options.db } : {}),
    ...(options.databaseUrl !== undefined ? { databaseUrl: options.databaseUrl } : {}),
  });
  const server = await composeServer(config);
  if (options.fixture) {
    const text = await readFile(options.fixture, 'utf8').catch((error: NodeJS.ErrnoException) => {
      throw new Error(`cannot read fixture ${options.fixture}: ${error.code ?? error.message}`);
    });
    let fixture: unknown;
    try {
      fixture = JSON.parse(text);
    } catch {
      throw new Error(`fixture ${options.fixture} is not valid JSON`);
    }
    await loadFixture(server.ctx, fixture);
  }
  if (options.demo) await loadFixture(server.ctx, demoCompany());
  const address = await server.start();
  process.stdout.write(`${banner(address, config.adminToken, Boolean(options.demo))}\n`);

  const shutdown = async (signal: string) => {
    process.stdout.write(`${signal}: stopping\n`);
    await server.stop();
    process.exit(0);
  };
  process.once('SIGINT', () => void shutdown('SIGINT'));
  process.once('SIGTERM', () => void shutdown('SIGTERM'));
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
    .option('--fixture <file>', 'load this fixture (replaces the corps it names)')
    .option('--demo', 'seed the demo company and print ready curl commands')
    .action(async (options: ServeOptions) => {
      try {
        await serve(options);
      } catch (error) {
        const message = error instanceof AdminInputError ? `bad fixture: ${error.message}` : (error as Error).message;
        process.stderr.write(`handover serve: ${message}\n`);
        process.exit(1);
      }
    });
  registerTransferCommand(program, transferCredentials());
  registerGroupchatsCommand(program, transferCredentials());
  await program.parseAsync(argv);
}
