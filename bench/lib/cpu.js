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

/**
 * The whole machine's CPU time by kind, in clock ticks, from the first line of /proc/stat ("cpu  user nice
 * system idle iowait irq softirq steal …"; guest time is already inside user). The tiers' own accounting
 * misses what no tier's process is charged with: softirq work the kernel does for loopback TCP in
 * ksoftirqd, PostgreSQL's background writers, the bench's other processes; the machine's line does not.
 */
export function parseCpuLine(text) {
  const line = text.split('\n', 1)[0];
  const [label, ...rest] = line.trim().split(/\s+/);
  const ticks = rest.map(Number);
  if (label !== 'cpu' || ticks.length < 8 || ticks.some((n) => !Number.isFinite(n))) throw new Error(`not a /proc/stat cpu line: ${line.slice(0, 80)}`);
  const [user, nice, system, idle, iowait, irq, softirq, steal] = ticks;
  return { busy: user + nice + system + irq + softirq + steal, idle, iowait, softirq, steal };
}

function machineTicks() {
  try {
    return parseCpuLine(readFileSync('/proc/stat', 'utf8'));
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
  let beforeMachine;
  let began;
  return {
    async start() {
      before = await sample(tiers);
      beforeMachine = machineTicks();
      began = performance.now();
    },
    /** CPU seconds per tier since start(), and the wall seconds they were spent in. */
    async stop() {
      const wallSeconds = (performance.now() - began) / 1000;
      const afterMachine = machineTicks();
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
      // Cores of the whole machine busy on average over the run, by kind (null off Linux).
      const cores = (kind) => (afterMachine[kind] - beforeMachine[kind]) / clockTicks() / wallSeconds;
      const machine =
        beforeMachine && afterMachine ? { busy: cores('busy'), softirq: cores('softirq'), steal: cores('steal'), iowait: cores('iowait'), idle: cores('idle') } : null;
      return { wallSeconds, cpu, machine };
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
