import { Writable } from 'node:stream';
import { expect } from 'vitest';

/** A CliIo on a terminal whose progress bar draws into `screen()` (to see it stopped and line wrapping restored). */
export function terminalIo<T extends object>(io: T) {
  const drawn: string[] = [];
  const progressStream = Object.assign(new Writable({ write: (chunk, _encoding, done) => void (drawn.push(chunk.toString()), done()) }), { isTTY: true, columns: 80 });
  return { io: { ...io, isTTY: true, progressStream }, screen: () => drawn.join('') };
}

/** The bar drew (wrapping off, `ESC[?7l`) and was stopped after (wrapping back on, `ESC[?7h`). */
export function expectBarStopped(screen: string): void {
  expect(screen).toContain('\x1b[?7l');
  expect(screen.lastIndexOf('\x1b[?7h')).toBeGreaterThan(screen.lastIndexOf('\x1b[?7l'));
}
