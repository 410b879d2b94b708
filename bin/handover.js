#!/usr/bin/env node
// The package's command: `handover serve …`, `handover transfer …`. Compiled code lives in dist/ (built by `npm ci`'s prepare step).
import('../dist/main.js').then((m) => m.main(process.argv)).catch((err) => {
  process.stderr.write(`handover: ${err && err.message ? err.message : String(err)}\n`);
  process.exit(1);
});
