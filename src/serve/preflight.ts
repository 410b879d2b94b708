import { statSync } from 'node:fs';
import { createServer } from 'node:net';
import { dirname, resolve } from 'node:path';
import { ConfigError, type Config } from '../config.js';

/** What the listen error means for the person who ran `handover serve`. */
export function explainListenError(error: NodeJS.ErrnoException, host: string, port: number): Error {
  if (error.code === 'EADDRINUSE') return new Error(`port ${port} on ${host} is already in use (another handover?): stop it, or pick another with --port N (0 = any free port)`);
  if (error.code === 'EACCES') return new Error(`not allowed to listen on port ${port} on ${host}: pick a port above 1023 with --port N`);
  if (error.code === 'EADDRNOTAVAIL') return new Error(`${host} is not an address of this machine: pick another with --host`);
  return error;
}

/**
 * Checks what would otherwise fail after the database was created or opened: a SQLite file in a missing
 * directory (better-sqlite3 says "the directory does not exist" without naming it) and a port in use (a
 * probe listen, closed at once; the real listen still reports a port taken in between).
 */
export async function preflight(config: Readonly<Config>): Promise<void> {
  if (config.store.kind === 'sqlite') {
    const directory = dirname(resolve(config.store.path));
    const isDirectory = (() => {
      try {
        return statSync(directory).isDirectory();
      } catch {
        return false;
      }
    })();
    if (!isDirectory) throw new ConfigError(`cannot create the database ${config.store.path}: directory ${directory} does not exist (create it, or pick another --db path)`);
  }
  if (config.port === 0) return;
  await new Promise<void>((done, fail) => {
    const probe = createServer();
    probe.once('error', (error: NodeJS.ErrnoException) => fail(explainListenError(error, config.host, config.port)));
    probe.listen({ port: config.port, host: config.host, exclusive: true }, () => probe.close(() => done()));
  });
}
