import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const SRC = resolve(import.meta.dirname, '../src');

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return sourceFiles(path);
    return path.endsWith('.ts') ? [path] : [];
  });
}

/** Every import specifier of a file, resolved to a path under src/ for relative ones. */
function importsOf(file: string): string[] {
  const text = readFileSync(file, 'utf8');
  const specifiers = [...text.matchAll(/(?:import|export)[^'"]*?from\s+['"]([^'"]+)['"]|import\(\s*['"]([^'"]+)['"]\s*\)/g)].map((m) => m[1] ?? m[2]!);
  return specifiers.map((s) => (s.startsWith('.') ? relative(SRC, resolve(file, '..', s)) : `package:${s}`));
}

const files = sourceFiles(SRC).map((file) => ({ path: relative(SRC, file), imports: importsOf(file), text: readFileSync(file, 'utf8') }));
const inFolder = (folder: string) => files.filter((f) => f.path.startsWith(`${folder}/`));

describe('dependency directions (architecture rule 13)', () => {
  it('domain/ imports only domain/ and wire/ types', () => {
    const offending = inFolder('domain').flatMap((f) => f.imports.filter((i) => !i.startsWith('domain/') && !i.startsWith('wire/')).map((i) => `${f.path} → ${i}`));
    expect(offending).toEqual([]);
  });

  it('domain/ does no I/O and reads no clock', () => {
    const offending = inFolder('domain').filter((f) => /Date\.now\(|process\.env|node:fs|fastify|better-sqlite3|from 'pg'/.test(f.text)).map((f) => f.path);
    expect(offending).toEqual([]);
  });

  it('sdk/ imports nothing but sdk/ and wire/', () => {
    const offending = inFolder('sdk').flatMap((f) =>
      f.imports.filter((i) => !i.startsWith('sdk/') && !i.startsWith('wire/') && !i.startsWith('package:node:')).map((i) => `${f.path} → ${i}`),
    );
    expect(offending).toEqual([]);
  });

  it('cli/ goes through sdk/ and wire/ only', () => {
    const offending = inFolder('cli').flatMap((f) =>
      f.imports.filter((i) => !i.startsWith('package:') && !i.startsWith('cli/') && !i.startsWith('sdk/') && !i.startsWith('wire/')).map((i) => `${f.path} → ${i}`),
    );
    expect(offending).toEqual([]);
  });

  it('http/ never imports store/', () => {
    const offending = inFolder('http').flatMap((f) => f.imports.filter((i) => i.startsWith('store/')).map((i) => `${f.path} → ${i}`));
    expect(offending).toEqual([]);
  });

  it('only config.ts reads process.env, only clock.ts reads Date.now()', () => {
    expect(files.filter((f) => f.text.includes('process.env') && f.path !== 'config.ts').map((f) => f.path)).toEqual([]);
    expect(files.filter((f) => f.text.includes('Date.now()') && f.path !== 'clock.ts' && !f.path.startsWith('sdk/') && !f.path.startsWith('cli/')).map((f) => f.path)).toEqual([]);
  });
});
