import { type ChildProcess, spawn } from 'node:child_process';
import { join } from 'node:path';

export interface Node {
  baseUrl: string;
  child: ChildProcess;
  stop(): Promise<void>;
}

const BIN = join(import.meta.dirname, '../../bin/handover.js');
export const ADMIN = 'multinode-admin';

/** A real `handover serve` process on port 0 against `databaseUrl` (the suite runs after `npm run build`). */
export async function startNode(databaseUrl: string, env: Record<string, string> = {}): Promise<Node> {
  const child = spawn(process.execPath, [BIN, 'serve', '--port', '0', '--database-url', databaseUrl], {
    env: { ...process.env, HANDOVER_ADMIN_TOKEN: ADMIN, HANDOVER_RATE_LIMIT: 'off', HANDOVER_LOG_LEVEL: 'silent', HANDOVER_ENGINE_POLL_MS: '100', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr!.on('data', (chunk) => (stderr += chunk));
  const baseUrl = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`node did not start: ${stderr}`)), 20_000);
    child.stdout!.on('data', (chunk: Buffer) => {
      const match = /handover listening on (http:\/\/\S+)/.exec(chunk.toString());
      if (match) {
        clearTimeout(timer);
        resolve(match[1]!);
      }
    });
    child.once('exit', (code) => reject(new Error(`node exited with ${code}: ${stderr}`)));
  });
  return {
    baseUrl,
    child,
    stop: async () => {
      if (child.exitCode !== null || child.signalCode !== null) return;
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      await exited;
    },
  };
}

export async function call(baseUrl: string, method: string, path: string, body?: unknown): Promise<any> {
  const response = await fetch(`${baseUrl}${path}`, {
    method,
    headers: { authorization: `Bearer ${ADMIN}` },
    ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
  });
  return response.json();
}

/** Runs `task` for indexes 0…count−1 with at most `concurrency` in flight. */
export async function pool<T>(count: number, concurrency: number, task: (index: number) => Promise<T>): Promise<T[]> {
  const results: T[] = new Array(count);
  let next = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < count) {
        const index = next++;
        results[index] = await task(index);
      }
    }),
  );
  return results;
}
