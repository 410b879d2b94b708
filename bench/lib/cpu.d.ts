// Types for cpu.js (the bench is plain ESM JavaScript; test/bench/ checks its pure logic).
export function parseProcStat(text: string): number;
export function parseCpuLine(text: string): { busy: number; idle: number; iowait: number; softirq: number; steal: number };
export function cpuSeconds(pid: number): number | null;
export function cpuMeter(tiers: Record<string, () => number[] | Promise<number[]>>): {
  start(): Promise<void>;
  stop(): Promise<{ wallSeconds: number; cpu: Record<string, number | null>; machine: { busy: number; softirq: number; steal: number; iowait: number; idle: number } | null }>;
};
export function waitIdle(pidsOf: () => number[] | Promise<number[]>, options?: { busyShare?: number; intervalMs?: number; maxSeconds?: number }): Promise<number>;
