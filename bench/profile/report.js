// With BENCH_PROFILE=1 every server child runs under --cpu-prof; this prints where each one spent its time.
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { formatTop, topFunctions } from './top-functions.js';

export function printProfiles(dir, count = 12) {
  const files = readdirSync(dir).filter((name) => name.endsWith('.cpuprofile')).sort();
  for (const name of files) {
    console.log(`\nhottest functions (self time) of ${name}:\n${formatTop(topFunctions(join(dir, name), count))}`);
  }
}
