import { createContext } from 'preact';
import { useContext, useEffect, useRef, useState } from 'preact/hooks';
import type { ConsoleCorp } from '../../src/wire/console.js';
import type { Api } from './api.js';

export interface ClockView {
  /** Server-clock ms at `fetchedAt` (browser ms). */
  now: number;
  frozen: boolean;
  offsetSeconds: number;
  fetchedAt: number;
}

export interface Shell {
  api: Api;
  corps: ConsoleCorp[];
  corp: ConsoleCorp | null;
  /** Grows with every change the server's stream reports: screens reload on it. */
  version: number;
  clock: ClockView | null;
  navigate(path: string): void;
  /** Says something to screen readers (and shows it in the status bar). */
  announce(message: string): void;
  /** Customer ids picked on the Customers screen for the Transfers form. */
  selection: string[];
  setSelection(ids: string[]): void;
}

export const ShellContext = createContext<Shell | null>(null);

export function useShell(): Shell {
  const shell = useContext(ShellContext);
  if (!shell) throw new Error('useShell outside the console shell');
  return shell;
}

export function serverNow(clock: ClockView | null): number {
  if (!clock) return Date.now();
  return clock.frozen ? clock.now : clock.now + (Date.now() - clock.fetchedAt);
}

/**
 * Loads data for a screen and loads it again whenever `deps` change or the server reports a change.
 * The previous data stays on screen while the new answer is on its way (no flicker on live updates), and
 * at most one load runs at a time: changes arriving meanwhile make one more load when it ends, so a busy
 * server (a change every 250 ms) can never keep a slow screen from painting.
 */
export function useLoad<T>(load: () => Promise<T>, deps: unknown[]): { data: T | undefined; error: string | null; reload(): void } {
  const { version } = useShell();
  const [data, setData] = useState<T | undefined>(undefined);
  const [error, setError] = useState<string | null>(null);
  const [nonce, setNonce] = useState(0);
  const latest = useRef(load);
  latest.current = load;
  const state = useRef({ running: false, again: false, alive: true });
  useEffect(() => () => void (state.current.alive = false), []);
  useEffect(() => {
    const run = (): void => {
      state.current.running = true;
      latest
        .current()
        .then(
          (value) => {
            if (!state.current.alive) return;
            setData(value);
            setError(null);
          },
          (failure: Error) => state.current.alive && setError(failure.message),
        )
        .finally(() => {
          state.current.running = false;
          if (state.current.again && state.current.alive) {
            state.current.again = false;
            run();
          }
        });
    };
    if (state.current.running) state.current.again = true;
    else run();
  }, [...deps, version, nonce]);
  return { data, error, reload: () => setNonce((n) => n + 1) };
}

/** Re-renders every `ms` (countdowns). */
export function useTick(ms: number): void {
  const [, setTick] = useState(0);
  useEffect(() => {
    const timer = setInterval(() => setTick((t) => t + 1), ms);
    return () => clearInterval(timer);
  }, [ms]);
}
