import { execFile } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO, demoCustomerId } from '../../src/service/demo-company.js';
import { killAllChildServers, spawnServer } from '../support/child-server.js';

const run = promisify(execFile);
const ROOT = resolve(import.meta.dirname, '../..');
const PACKAGE = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { name: string; version: string; overrides: unknown };
const NATIVE_ADDON = 'build/Release/better_sqlite3.node';
const TSC = join(ROOT, 'node_modules/typescript/bin/tsc');

/** Nested npm runs must not inherit the outer `npm test`'s npm_* settings (its prefix, its scripts flags). */
const cleanEnv = Object.fromEntries(Object.entries(process.env).filter(([key]) => !key.toLowerCase().startsWith('npm_')));

async function npm(args: string[], cwd: string) {
  const { stdout, stderr } = await run('npm', args, { cwd, env: cleanEnv, maxBuffer: 16 * 1024 * 1024 });
  return { stdout, stderr };
}

async function handover(bin: string, args: string[]) {
  return run(process.execPath, [bin, ...args], { env: cleanEnv });
}

/**
 * A user's TypeScript file against the installed package: compiled with tsc (strict, NodeNext) it proves
 * `exports` leads to real declarations (an import without them is TS7016 under strict, and the
 * @ts-expect-error line fails as unused if the types were any); run, it moves a customer with the SDK.
 * skipLibCheck as most projects have it: checking fastify's and pino's declarations too took 34 s here.
 */
const CONSUMER_TS = `
import { WecomClient, transferAll, type TransferOutcome } from 'handover';
import { createNodeCallbackHandler } from 'handover/receiver';

const [baseUrl, corpId, secret, customer] = process.argv.slice(2) as [string, string, string, string];
const client = new WecomClient({ corpId, secret, baseUrl });
// @ts-expect-error the declarations are real: a number is not a corpId (an untyped import would accept it)
new WecomClient({ corpId: 1, secret });
const token = await client.getToken();
const outcomes: TransferOutcome[] = await transferAll(client, { handover: '${DEMO.handover}', takeover: '${DEMO.takeover}', externalUserIds: [customer] });
console.log(JSON.stringify({ expires_in: token.expires_in, outcomes, receiver: typeof createNodeCallbackHandler }));
`;

/**
 * The package as a user gets it (issue 14): `npm pack` of the built tree, installed as the dependency of
 * a fresh project, with only what `files` ships and the production dependencies. The install skips
 * install scripts and takes better-sqlite3's addon from this checkout (the same pinned version, compiled
 * by `npm ci`): compiling it again costs ~2 minutes on 2 cores and proves nothing `npm ci` did not.
 */
describe('the packed package, installed on its own', () => {
  let work: string;
  let installed: string;
  let bin: string;
  const timings: Record<string, number> = {};

  beforeAll(async () => {
    expect(existsSync(join(ROOT, 'dist/main.js')), 'dist/ is missing: npm test builds it first (npm run build)').toBe(true);
    work = mkdtempSync(join(tmpdir(), 'handover-pack-'));

    let started = performance.now();
    // --ignore-scripts: `prepare` would rebuild dist/ under the suites running beside this one.
    const packed = JSON.parse((await npm(['pack', '--json', '--ignore-scripts', '--pack-destination', work], ROOT)).stdout) as [{ filename: string; size: number; files: { path: string }[] }];
    timings['pack'] = performance.now() - started;
    const tarball = join(work, packed[0].filename);
    timings['size'] = statSync(tarball).size;
    expect(packed[0].files.map((f) => f.path)).not.toContain('package-lock.json');

    const consumer = join(work, 'consumer');
    mkdirSync(consumer);
    const nativeVersion = (JSON.parse(readFileSync(join(ROOT, 'node_modules/better-sqlite3/package.json'), 'utf8')) as { version: string }).version;
    writeFileSync(
      join(consumer, 'package.json'),
      JSON.stringify({
        name: 'consumer',
        private: true,
        type: 'module',
        dependencies: { handover: `file:${tarball}`, 'better-sqlite3': nativeVersion },
        // A dependency's overrides do not apply: a project using handover on Node 20 sets the same one (README).
        overrides: PACKAGE.overrides,
      }),
    );
    started = performance.now();
    const install = await npm(['install', '--ignore-scripts', '--prefer-offline', '--no-audit', '--no-fund'], consumer);
    timings['install'] = performance.now() - started;
    expect(`${install.stdout}${install.stderr}`).not.toMatch(/EBADENGINE/);
    const addonDir = join(consumer, 'node_modules/better-sqlite3', NATIVE_ADDON, '..');
    mkdirSync(addonDir, { recursive: true });
    copyFileSync(join(ROOT, 'node_modules/better-sqlite3', NATIVE_ADDON), join(addonDir, 'better_sqlite3.node'));

    installed = join(consumer, 'node_modules/handover');
    bin = join(consumer, 'node_modules/.bin/handover');
    console.info(
      `[pack] ${packed[0].filename}: ${(timings['size']! / 1024).toFixed(1)} KiB, ${packed[0].files.length} files; ` +
        `pack ${(timings['pack']! / 1000).toFixed(1)} s, install ${(timings['install']! / 1000).toFixed(1)} s`,
    );
  }, 240_000);

  afterAll(async () => {
    await killAllChildServers();
    if (work) rmSync(work, { recursive: true, force: true });
  });

  it('ships exactly what files names: the build, its migrations, declarations, LICENSE; no sources, tests or maps', () => {
    for (const path of ['bin/handover.js', 'dist/main.js', 'dist/sdk/index.d.ts', 'dist/callback/receiver/index.d.ts', 'LICENSE', 'README.md', 'package.json']) {
      expect(existsSync(join(installed, path)), path).toBe(true);
    }
    for (const dialect of ['sqlite', 'postgres']) expect(existsSync(join(installed, `dist/store/${dialect}/migrations`)), dialect).toBe(true);
    for (const path of ['src', 'test', 'bench', 'tsconfig.json', 'dist/main.js.map']) expect(existsSync(join(installed, path)), path).toBe(false);
    expect(readFileSync(join(installed, 'LICENSE'), 'utf8')).toMatch(/^MIT License/);
    // Nothing of the devDependencies came along: the package runs without a compiler.
    expect(existsSync(join(installed, '..', 'typescript'))).toBe(false);
  });

  it('handover --version and handover transfer --help answer from the installed command', async () => {
    expect((await handover(bin, ['--version'])).stdout).toContain(PACKAGE.version);
    const help = await handover(bin, ['transfer', '--help']);
    expect(help.stdout).toMatch(/Usage: handover transfer/);
    expect(help.stdout).toMatch(/--from/);
  });

  it('handover serve --demo runs from the package: healthz, gettoken with the demo credentials, the typed SDK, then stops on SIGTERM', { timeout: 120_000 }, async () => {
    const server = await spawnServer({ kind: 'sqlite', path: join(work, 'demo.sqlite') }, { HANDOVER_ADMIN_TOKEN: 'pack-smoke-admin-token-0123456789abcdef' }, { bin, args: ['--demo'] });

    const health = await (await fetch(`${server.baseUrl}/healthz`)).json();
    expect(health).toMatchObject({ status: 'ok', backend: 'sqlite', version: PACKAGE.version });
    const token = await (await fetch(`${server.baseUrl}/cgi-bin/gettoken?corpid=${DEMO.corpid}&corpsecret=${DEMO.secret}`)).json();
    expect(token).toMatchObject({ errcode: 0, errmsg: 'ok', expires_in: 7200 });
    expect(token.access_token).toMatch(/^\S{16,}$/);

    const consumer = join(installed, '../..');
    writeFileSync(join(consumer, 'check.ts'), CONSUMER_TS);
    writeFileSync(
      join(consumer, 'tsconfig.json'),
      JSON.stringify({
        compilerOptions: { target: 'ES2022', module: 'NodeNext', moduleResolution: 'NodeNext', strict: true, skipLibCheck: true, types: ['node'], typeRoots: [join(ROOT, 'node_modules/@types')] },
        files: ['check.ts'],
      }),
    );
    await run(process.execPath, [TSC, '-p', consumer], { cwd: consumer }).catch((error: { stdout?: string }) => {
      throw new Error(`the consumer's TypeScript did not compile against the package:\n${error.stdout}`);
    });
    const checked = await run(process.execPath, ['check.js', server.baseUrl, DEMO.corpid, DEMO.secret, demoCustomerId(1)], { cwd: consumer, env: cleanEnv });
    const answer = JSON.parse(checked.stdout);
    // The server keeps the token it issued above, so the SDK gets its remaining lifetime.
    expect(answer.expires_in).toBeGreaterThan(7000);
    expect(answer).toEqual({ expires_in: answer.expires_in, outcomes: [{ externalUserId: demoCustomerId(1), errcode: 0 }], receiver: 'function' });

    await server.stop();
    expect(server.child.exitCode).toBe(0);
  });
});
