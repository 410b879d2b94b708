// CPU time per tier (handover's node processes, PostgreSQL's backends, the load generator) over one
// measured run, from the kernel's own accounting: utime + stime of /proc/<pid>/stat before and after.
// Divided by the calls answered, it says what each call costs each tier, so a reader can see how a
// figure would grow with a machine per tier rather than three tiers squeezed onto 2 cores.
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';

let ticksPerSecond;
function clockTicks() {
  if (ticksPerSecond === undefined) {
    try {
      ticksPerSecond = Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;
    } catch {
      ticksPerSecond = 100;
    }
  }
  return ticksPerSecond;
}

/**
 * utime + stime, in clock ticks, from the text of /proc/<pid>/stat: fields 14 and 15. Field 2 is the
 * command name in parentheses and may itself hold spaces and ')', so fields are counted after the last ')'.
 */
export function parseProcStat(text) {
  const fields = text.slice(text.lastIndexOf(')') + 2).trim().split(/\s+/);
  // fields[0] is field 3 (state): utime (14) is fields[11], stime (15) fields[12].
  const utime = Number(fields[11]);
  const stime = Number(fields[12]);
  if (!Number.isFinite(utime) || !Number.isFinite(stime)) throw new Error(`not a /proc/<pid>/stat line: ${text.slice(0, 80)}`);
  return utime + stime;
}

/** CPU seconds `pid` has used so far, or null when it is gone or not on this machine. */
export function cpuSeconds(pid) {
  try {
    return parseProcStat(readFileSync(`/proc/${pid}/stat`, 'utf8')) / clockTicks();
  } catch {
    return null;
  }
}

async function sample(tiers) {
  const out = {};
  for (const [tier, pidsOf] of Object.entries(tiers)) {
    const pids = await pidsOf();
    out[tier] = new Map(pids.map((pid) => [pid, cpuSeconds(pid)]).filter(([, seconds]) => seconds !== null));
  }
  return out;
}

/**
 * `tiers` maps a tier's name to an (async) function listing its pids at that moment. Processes that
 * appear during the run count from zero (a backend opened mid-run spent all its time in the run); a tier
 * none of whose processes could be read (PostgreSQL on another machine) comes out null.
 */
export function cpuMeter(tiers) {
  let before;
  let began;
  return {
    async start() {
      before = await sample(tiers);
      began = performance.now();
    },
    /** CPU seconds per tier since start(), and the wall seconds they were spent in. */
    async stop() {
      const wallSeconds = (performance.now() - began) / 1000;
      const after = await sample(tiers);
      const cpu = {};
      for (const [tier, now] of Object.entries(after)) {
        if (now.size === 0) {
          cpu[tier] = null;
          continue;
        }
        let total = 0;
        for (const [pid, seconds] of now) total += seconds - (before[tier].get(pid) ?? 0);
        cpu[tier] = total;
      }
      return { wallSeconds, cpu };
    },
  };
}

/**
 * Waits until the processes `pidsOf()` lists use less than `busyShare` of one core over `intervalMs`,
 * for at most `maxSeconds`; answers the seconds waited. A run ends with its calls in flight abandoned,
 * and the server still works through them (seconds of work with PostgreSQL and 100 ids per call): the
 * next run must not start on top of that.
 */
export async function waitIdle(pidsOf, { busyShare = 0.1, intervalMs = 250, maxSeconds = 15 } = {}) {
  const began = performance.now();
  const total = async () => {
    let sum = 0;
    for (const pid of await pidsOf()) sum += cpuSeconds(pid) ?? 0;
    return sum;
  };
  let last = await total();
  while (performance.now() - began < maxSeconds * 1000) {
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
    const now = await total();
    const busy = (now - last) / (intervalMs / 1000);
    last = now;
    if (busy < busyShare) break;
  }
  return (performance.now() - began) / 1000;
}
