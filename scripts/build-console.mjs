// Bundles the web console (web/console, Preact + TSX) into dist/console/ for the server to serve at
// /console: one app.js, one app.css and index.html, no CDN, so it works offline.
import { copyFileSync, mkdirSync, rmSync } from 'node:fs';
import { build } from 'esbuild';

const out = 'dist/console';
rmSync(out, { recursive: true, force: true });
mkdirSync(out, { recursive: true });
await build({
  entryPoints: { app: 'web/console/main.tsx' },
  bundle: true,
  minify: true,
  format: 'esm',
  target: 'es2022',
  jsx: 'automatic',
  jsxImportSource: 'preact',
  outdir: out,
  loader: { '.css': 'css' },
  logLevel: 'warning',
});
await build({ entryPoints: { app: 'web/console/app.css' }, bundle: true, minify: true, outdir: out, logLevel: 'warning' });
copyFileSync('web/console/index.html', `${out}/index.html`);
