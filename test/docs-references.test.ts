import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { appWithoutStore, registeredRoutes } from './support/routes.js';

const ROOT = resolve(import.meta.dirname, '..');
const BEHAVIOUR_DIR = join(ROOT, 'docs/behaviour');

function filesUnder(dir: string, pattern: RegExp): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return filesUnder(path, pattern);
    return pattern.test(name) ? [path] : [];
  });
}

const read = (path: string) => readFileSync(path, 'utf8');
const rel = (path: string) => relative(ROOT, path);
const markdownFiles = [join(ROOT, 'README.md'), ...filesUnder(join(ROOT, 'docs'), /\.md$/)];
const sourceFiles = [...filesUnder(join(ROOT, 'src'), /\.(ts|sql)$/), ...filesUnder(join(ROOT, 'test'), /\.ts$/)];
const behaviourFiles = filesUnder(BEHAVIOUR_DIR, /\.md$/);

/** GitHub's heading anchors: lower case, punctuation dropped (letters of any script kept), spaces → `-`. */
function slug(heading: string): string {
  return heading
    .trim()
    .toLowerCase()
    .replace(/[^\p{L}\p{N}\p{M}\s_-]/gu, '')
    .replace(/\s/g, '-');
}

function headings(path: string): string[] {
  return read(path)
    .split('\n')
    .filter((line) => /^#{1,6} /.test(line))
    .map((line) => line.replace(/^#+ /, ''));
}

const anchorsOf = (path: string) => new Set(headings(path).map(slug));

/** `§9.1.7` → the behaviour file whose heading starts with it. */
function sectionIndex(): Map<string, string[]> {
  const index = new Map<string, string[]>();
  for (const file of behaviourFiles) {
    for (const heading of headings(file)) {
      const number = /^§(\d+(?:\.\d+)*)\s/.exec(heading)?.[1];
      if (number) index.set(number, [...(index.get(number) ?? []), rel(file)]);
    }
  }
  return index;
}

/** Numbers cited as `§N.M` (ranges like `§9.1.3–4` cite their first number). */
function citedSections(text: string): string[] {
  return [...text.matchAll(/§(\d+(?:\.\d+)*)/g)].map((m) => m[1]!);
}

describe('the behaviour reference under docs/', () => {
  const sections = sectionIndex();

  it('numbers every section once, as the code cites them', () => {
    expect([...sections].filter(([, files]) => files.length > 1)).toEqual([]);
    for (const top of ['0', '1', '2', '3', '4', '5', '6', '7.1', '7.4', '7.6', '8', '9', '9.1', '9.5', '10.1', '10.8']) {
      expect(sections.has(top), `§${top}`).toBe(true);
    }
  });

  it('holds every § that source, tests and documents cite', () => {
    const missing = [...sourceFiles, ...markdownFiles].flatMap((file) =>
      citedSections(read(file))
        .filter((number) => !sections.has(number))
        .map((number) => `${rel(file)}: §${number}`),
    );
    expect([...new Set(missing)]).toEqual([]);
  });

  it('keeps its files short enough to read (~300 lines)', () => {
    for (const file of [join(ROOT, 'docs/behaviour.md'), ...behaviourFiles]) expect(read(file).split('\n').length, rel(file)).toBeLessThanOrEqual(300);
  });
});

describe('links between documents', () => {
  it('resolve to files of the repository, and anchors to headings', () => {
    const broken: string[] = [];
    for (const file of markdownFiles) {
      for (const [, target] of read(file).matchAll(/\]\(([^)\s]+)\)/g)) {
        if (/^(https?|mailto):/.test(target!)) continue;
        const [path, anchor] = target!.split('#') as [string, string | undefined];
        const resolved = path ? resolve(dirname(file), path) : file;
        if (!resolved.startsWith(ROOT + '/')) broken.push(`${rel(file)}: ${target} leaves the repository`);
        else if (!existsSync(resolved)) broken.push(`${rel(file)}: ${target} does not exist`);
        else if (anchor && resolved.endsWith('.md') && !anchorsOf(resolved).has(anchor)) broken.push(`${rel(file)}: #${anchor} is no heading of ${rel(resolved)}`);
      }
    }
    expect(broken).toEqual([]);
  });

  it('that source comments name (docs/…md#anchor) exist', () => {
    const broken: string[] = [];
    for (const file of sourceFiles) {
      for (const [, path, anchor] of read(file).matchAll(/\b(docs\/[\w./-]+\.md)(?:#([\p{L}\p{N}_-]+))?/gu)) {
        const resolved = join(ROOT, path!);
        if (!existsSync(resolved)) broken.push(`${rel(file)}: ${path}`);
        else if (anchor && !anchorsOf(resolved).has(anchor)) broken.push(`${rel(file)}: ${path}#${anchor}`);
      }
    }
    expect(broken).toEqual([]);
  });
});

describe('every route the app registers is documented', () => {
  let app: FastifyInstance;
  beforeAll(async () => {
    app = await appWithoutStore();
  });
  afterAll(async () => {
    await app.close();
  });

  it('WeCom paths in the behaviour reference, admin routes in the README', () => {
    const reference = [join(ROOT, 'docs/behaviour.md'), ...behaviourFiles].map(read).join('\n');
    const readme = read(join(ROOT, 'README.md'));
    const undocumented = registeredRoutes(app).flatMap(({ method, url }) => {
      if (url.startsWith('/cgi-bin/')) return reference.includes(`\`${url}`) ? [] : [`${method} ${url}`];
      // The API description itself: the document and its viewer (with the viewer's own assets).
      if (url === '/openapi.json' || url === '/docs' || url.startsWith('/docs/')) return readme.includes(`\`GET ${url.startsWith('/docs') ? '/docs' : url}\``) ? [] : [url];
      const documented = `${method} ${url.replace(/:(\w+)/g, '{$1}')}`;
      return readme.includes(`\`${documented}`) ? [] : [documented];
    });
    expect(registeredRoutes(app).length).toBeGreaterThan(10);
    expect(undocumented).toEqual([]);
  });
});

describe('anchors as GitHub renders them', () => {
  it('drop punctuation and keep letters of any script', () => {
    expect(slug('§9.1 Order of checks for `transfer_customer`')).toBe('91-order-of-checks-for-transfer_customer');
    expect(slug("§10.6 Customer groups (客户群)")).toBe('106-customer-groups-客户群');
    expect(slug('§1.3 Condition → code')).toBe('13-condition--code');
  });
});
