import { type ChildProcess, spawn } from 'node:child_process';
import { join } from 'node:path';
import type { StoreLocation } from '../../src/store/open-store.js';

const BIN = join(import.meta.dirname, '../../bin/handover.js');

/** A `handover serve` child process: what the multi-node and crash suites start, stop and kill. */
export interface ChildServer {
  baseUrl: string;
  child: ChildProcess;
  /** What the server has printed on stdout so far (its banner, and the line it prints when it stops). */
  output(): string;
  /** SIGTERM, and SIGKILL if the graceful shutdown takes over 5 s (an afterAll must not hang). */
  stop(): Promise<void>;
  /** SIGKILL: no stop(), no finally, no flush — what a crash or an OOM kill leaves behind. */
  kill(): Promise<void>;
}

/** Every child started here that has not exited yet: a suite's afterAll kills them all, whatever failed. */
const running = new Set<ChildProcess>();

const hasExited = (child: ChildProcess) => child.exitCode !== null || child.signalCode !== null;

/** SIGKILLs every child server still running (a test that failed before stopping its node must not leak it). */
export async function killAllChildServers(): Promise<void> {
  await Promise.all(
    [...running].map((child) => {
      // 'close', not 'exit': stdout may still hold the last lines when the process has exited.
  const exited = new Promise((resolve) => child.once('close', resolve));
      child.kill('SIGKILL');
      return exited;
    }),
  );
}

/**
 * A real `handover serve` process on port 0 against `location`, running the compiled code in dist/
 * (`npm test` builds first). Rate limiting and logs are off; `env` adds the suite's settings.
 */
export async function spawnServer(
  location: StoreLocation,
  env: Record<string, string>,
  /** Another installation's command (the packed package's), and more `serve` arguments. */
  options: { bin?: string; args?: string[] } = {},
): Promise<ChildServer> {
  const where = location.kind === 'sqlite' ? ['--db', location.path] : ['--database-url', location.url];
  const child = spawn(process.execPath, [options.bin ?? BIN, 'serve', '--port', '0', ...where, ...(options.args ?? [])], {
    env: { ...process.env, HANDOVER_RATE_LIMIT: 'off', HANDOVER_LOG_LEVEL: 'silent', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  running.add(child);
  // 'close', not 'exit': stdout may still hold the last lines when the process has exited.
  const exited = new Promise((resolve) => child.once('close', resolve));
  child.once('exit', () => running.delete(child));
  let stderr = '';
  let stdout = '';
  child.stderr!.on('data', (chunk) => (stderr += chunk));
  child.stdout!.on('data', (chunk) => (stdout += chunk));
  const baseUrl = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`server did not start: ${stderr}`));
    }, 20_000);
    child.stdout!.on('data', () => {
      const match = /handover listening on (http:\/\/\S+)/.exec(stdout);
      if (match) {
        clearTimeout(timer);
        resolve(match[1]!);
      }
    });
    child.once('exit', (code) => reject(new Error(`server exited with ${code}: ${stderr}`)));
  });
  return {
    baseUrl,
    child,
    output: () => stdout,
    async stop() {
      if (hasExited(child)) return;
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 5_000);
      await exited;
      clearTimeout(timer);
    },
    async kill() {
      if (!hasExited(child)) child.kill('SIGKILL');
      await exited;
    },
  };
}
