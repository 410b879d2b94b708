import { existsSync, rmSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { composeServer } from '../compose.js';
import { ConfigError, loadConfig, type ServeFlags } from '../config.js';
import { DEMO, demoCompany } from '../service/demo-company.js';
import { AdminInputError } from '../service/fixture-input.js';
import { bringDemoInStep, loadFixtureAtStart, loadFixtureEventsAtStart, type StartLoad } from '../service/start-fixture.js';
import { banner, farewell } from './banner.js';
import { checkFixtureFile, describeSyntaxError, fixtureFileEvents, FixtureSyntaxError } from './fixture-file.js';
import { explainListenError, preflight } from './preflight.js';

export interface ServeOptions extends ServeFlags {
  fixture?: string;
  demo?: boolean;
  replace?: boolean;
}

/** `handover serve`: resolves once listening; stops on SIGINT/SIGTERM, saying what it did. */
export async function serve(options: ServeOptions, version: string, write: (text: string) => void): Promise<void> {
  const config = loadConfig({
    ...(options.port !== undefined ? { port: options.port } : {}),
    ...(options.host !== undefined ? { host: options.host } : {}),
    ...(options.db !== undefined ? { db: options.db } : {}),
    ...(options.databaseUrl !== undefined ? { databaseUrl: options.databaseUrl } : {}),
  });
  if (options.replace && !options.fixture && !options.demo) throw new ConfigError('--replace needs --fixture FILE or --demo: it says that their corps replace those in the database');
  const fixture = options.fixture;
  if (fixture !== undefined) await checkFixtureFile(fixture);
  await preflight(config);
  // The fixture streams into the database (issue 13), so it is checked while it loads: a bad one must not
  // leave behind a database file that this start created.
  const newSqliteFile = config.store.kind === 'sqlite' && !existsSync(config.store.path) ? config.store.path : null;
  const server = await composeServer(config);
  const startedAt = server.ctx.clock.real();
  try {
    const loads: { source: string; load: StartLoad }[] = [];
    const replace = Boolean(options.replace);
    try {
      if (fixture !== undefined) loads.push({ source: `fixture ${fixture}`, load: await loadFixtureEventsAtStart(server.ctx, () => fixtureFileEvents(fixture), { replace }) });
    } catch (error) {
      await server.stop().catch(() => undefined);
      if (newSqliteFile !== null) for (const suffix of ['', '-wal', '-shm', '-journal']) rmSync(`${newSqliteFile}${suffix}`, { force: true });
      if (error instanceof AdminInputError) throw new ConfigError(`bad fixture ${fixture}: ${error.message}`);
      if (error instanceof FixtureSyntaxError) throw await describeSyntaxError(fixture!, error);
      throw error;
    }
    let demoLoginsMoved: string[] = [];
    if (options.demo) {
      const load = await loadFixtureAtStart(server.ctx, demoCompany(), { replace });
      loads.push({ source: 'demo', load });
      if (load.skipped.includes(DEMO.corpid)) demoLoginsMoved = await bringDemoInStep(server.ctx, DEMO.corpid);
    }
    await server.start().catch((error: NodeJS.ErrnoException) => {
      throw explainListenError(error, config.host, config.port);
    });
    const clock = await server.ctx.clock.state();
    const address = server.app.server.address() as AddressInfo;
    write(`${banner({ version, address, config, clock, realNow: server.ctx.clock.real(), loads, demo: Boolean(options.demo), demoLoginsMoved })}\n`);
  } catch (error) {
    await server.stop().catch(() => undefined);
    throw error;
  }

  const shutdown = async (signal: string) => {
    await server.stop();
    write(`${farewell(signal, server.stats, startedAt, server.ctx.clock.real())}\n`);
    process.exit(0);
  };
  process.once('SIGINT', () => void shutdown('SIGINT'));
  process.once('SIGTERM', () => void shutdown('SIGTERM'));
}
