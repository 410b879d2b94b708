// A server under test in its own process: the load generator must not share its event loop or its core.
import { execFileSync, spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';

/** The core the server runs on when pinned; the bench process itself keeps core 0. */
export const SERVER_CPU = '1';
/** The bench process's own core when pinned (its load generator runs in it). */
export const LOAD_CPU = '0';
/**
 * Every core this process may use, read when the bench starts (before it pins itself), for a process that
 * must float although the bench is pinned: a child inherits its parent's affinity, so "not pinned" has to be
 * said explicitly. From /proc (a container's cpuset need not start at 0), else 0..n-1.
 */
export const ALL_CPUS = allowedCpus();

function allowedCpus() {
  try {
    const listed = /^Cpus_allowed_list:\s*(\S+)/m.exec(readFileSync('/proc/self/status', 'utf8'));
    if (listed) return listed[1];
  } catch {
    // Not Linux: the fallback below.
  }
  return `0-${availableParallelism() - 1}`;
}

/** Sets this process's affinity (every thread: libuv's pool too) to `cpus`, a taskset list. */
export function pinSelf(cpus) {
  execFileSync('taskset', ['-a', '-p', '-c', cpus, String(process.pid)], { stdio: 'ignore' });
}

/**
 * Starts `node <args>` and resolves once stdout shows `readyPattern` (its first group is the URL).
 * Rejects with the child's stderr when it exits first or takes longer than `timeoutSeconds`.
 */
export function startChild({ label, args, env, cpus = null, nodeFlags = [], readyPattern, timeoutSeconds, cwd }) {
  const command = cpus ? 'taskset' : process.execPath;
  const argv = [...(cpus ? ['-c', cpus, process.execPath] : []), ...nodeFlags, ...args];
  const startedAt = performance.now();
  // taskset execs node in place, so the pid is node's and /proc/<pid>/status describes the server.
  const child = spawn(command, argv, { env, cwd, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8');
  child.stderr.setEncoding('utf8');
  child.stderr.on('data', (chunk) => {
    stderr = (stderr + chunk).slice(-20_000);
  });
  const exited = new Promise((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));

  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`${label} was not ready after ${timeoutSeconds} s\n${stderr}`));
    }, timeoutSeconds * 1000);
    const onData = (chunk) => {
      stdout = (stdout + chunk).slice(-20_000);
      const match = readyPattern.exec(stdout);
      if (!match) return;
      clearTimeout(timer);
      child.stdout.off('data', onData);
      child.stdout.resume();
      resolve(handle(child, label, match[1], (performance.now() - startedAt) / 1000, exited, () => stderr));
    };
    child.stdout.on('data', onData);
    exited.then(({ code, signal }) => {
      clearTimeout(timer);
      reject(new Error(`${label} exited (${signal ?? code}) before it was ready\n${stderr}`));
    });
  });
}

function handle(child, label, url, readySeconds, exited, stderr) {
  let stopping = false;
  // A server that dies mid-figure would otherwise show up only as connection errors.
  exited.then(({ code, signal }) => {
    if (!stopping) process.stderr.write(`${label} exited unexpectedly (${signal ?? code})\n${stderr()}\n`);
  });
  const statusKb = (field) => {
    const match = new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(readFileSync(`/proc/${child.pid}/status`, 'utf8'));
    return match ? Number(match[1]) : Number.NaN;
  };
  return {
    pid: child.pid,
    url,
    readySeconds,
    /** Peak resident set since the process started (the kernel's high-water mark), in MB. */
    peakRssMb: () => statusKb('VmHWM') / 1024,
    rssMb: () => statusKb('VmRSS') / 1024,
    stderr,
    /** SIGTERM (the server's graceful stop, which also writes a --cpu-prof profile), SIGKILL after 30 s. */
    async stop() {
      stopping = true;
      // The server logs only warnings and errors: whatever it said belongs next to the figure.
      if (stderr().trim()) process.stderr.write(`${label} said:\n${stderr().slice(-2000)}\n`);
      if (child.exitCode !== null || child.signalCode !== null) return exited;
      child.kill('SIGTERM');
      const timer = setTimeout(() => {
        process.stderr.write(`${label} did not stop within 30 s: killing it\n`);
        child.kill('SIGKILL');
      }, 30_000);
      const result = await exited;
      clearTimeout(timer);
      return result;
    },
  };
}
