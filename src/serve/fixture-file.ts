import { createReadStream } from 'node:fs';
import { access } from 'node:fs/promises';
import { none } from 'stream-chain/defs.js';
import { jsonParser, type Token } from 'stream-json/core/parser.js';
import { verifyFile } from 'stream-json/file/verifier.js';
import { ConfigError } from '../config.js';
import type { FixtureEvent } from '../service/fixture-events.js';
import { FixtureTokenRouter } from '../service/fixture-tokens.js';

/** 64 KiB reads: one holds ~1,000 customers; memory holds a read and a batch, not the file. */
const READ_BYTES = 64 * 1024;

/** The file is not JSON: thrown from inside the load (which then rolls back), located afterwards. */
export class FixtureSyntaxError extends Error {
  override readonly name = 'FixtureSyntaxError';
}

/** Fails as `serve` always did for a fixture it cannot read, before the database is touched. */
export async function checkFixtureFile(path: string): Promise<void> {
  await access(path).catch((error: NodeJS.ErrnoException) => {
    throw new ConfigError(`cannot read fixture ${path}: ${error.code === 'ENOENT' ? 'no such file' : (error.code ?? error.message)}`);
  });
}

/**
 * The fixture of `handover serve --fixture FILE` as events, read and tokenized 64 KiB at a time (issue 13:
 * JSON.parse of a 1,000,000-customer file peaked at 1.6 GB). The tokenizer is stream-json's core parser:
 * it is made for exactly this, kept (3.x, 2026), dependency-light (stream-chain), runs on Node 20, and hands
 * over packed keys and values that the router builds into one element at a time.
 */
export async function* fixtureFileEvents(path: string): AsyncGenerator<FixtureEvent> {
  const parse = jsonParser({ packValues: true, streamValues: false });
  const router = new FixtureTokenRouter();
  const tokens = (output: unknown): readonly Token[] =>
    output !== null && typeof output === 'object' && Array.isArray((output as { values?: unknown }).values) ? (output as { values: Token[] }).values : [];
  const step = (chunk: string | typeof none) => {
    try {
      router.push(tokens(parse(chunk as string)));
    } catch (error) {
      if (error instanceof Error && /^Parser /.test(error.message)) throw new FixtureSyntaxError(error.message);
      throw error;
    }
  };
  for await (const chunk of createReadStream(path, { encoding: 'utf8', highWaterMark: READ_BYTES })) {
    step(chunk as string);
    yield* router.take();
  }
  step(none);
  yield* router.take();
}

/**
 * A syntax error names line and column: V8 on Node 20 says only "at position 48213", and the streaming
 * tokenizer not even that, useless in a file of a million customers. stream-json's verifier reads the file
 * once more, in bounded memory, and says where it stops being JSON.
 */
export async function describeSyntaxError(path: string, error: FixtureSyntaxError): Promise<ConfigError> {
  try {
    await verifyFile(path);
  } catch (found) {
    const { line, pos, message } = found as { line?: number; pos?: number; message: string };
    if (line !== undefined && pos !== undefined) {
      const reason = message.replace(/^.*?cannot parse input: /, '').replace(/^Verifier /, '');
      return new ConfigError(`fixture ${path} is not valid JSON: line ${line}, column ${pos}: ${reason}`);
    }
  }
  return new ConfigError(`fixture ${path} is not valid JSON: ${error.message.replace(/^Parser (cannot parse input: )?/, '')}`);
}
