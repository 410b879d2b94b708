import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { type Browser, chromium } from 'playwright-core';

/** Debian's Chromium (`.ci/run` installs it); `npx playwright install` cannot download on these machines. */
export const CHROMIUM = '/usr/bin/chromium';

export function chromiumInstalled(): boolean {
  const present = existsSync(CHROMIUM);
  if (!present) console.warn(`[handover tests] ${CHROMIUM} is missing (apt-get install chromium fonts-wqy-microhei): the console E2E suite is SKIPPED`);
  return present;
}

export function launchChromium(): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM, headless: true, args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking'] });
}

/** Builds the console bundle (esbuild, ~1 s) so a targeted run needs no full `npm run build` first. */
export function buildConsoleBundle(): void {
  execFileSync(process.execPath, ['scripts/build-console.mjs'], { stdio: 'inherit' });
}
