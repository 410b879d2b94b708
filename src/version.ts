import { readFileSync } from 'node:fs';

/** The package's version, read from the package.json beside src/ or dist/ (both sit one level below it). */
export const HANDOVER_VERSION: string = (JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string }).version;
