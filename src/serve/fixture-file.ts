import { readFile } from 'node:fs/promises';
import { ConfigError } from '../config.js';

/** Line and column (from 1) of a character offset. */
function lineAndColumn(text: string, offset: number): { line: number; column: number } {
  const before = text.slice(0, offset);
  const line = before.split('\n').length;
  return { line, column: offset - before.lastIndexOf('\n') };
}

/**
 * The JSON of `handover serve --fixture FILE`. A syntax error names line and column: V8 on Node 20 says
 * only "at position 48213", useless in a file of a million customers.
 */
export async function readFixtureFile(path: string): Promise<unknown> {
  const text = await readFile(path, 'utf8').catch((error: NodeJS.ErrnoException) => {
    throw new ConfigError(`cannot read fixture ${path}: ${error.code === 'ENOENT' ? 'no such file' : (error.code ?? error.message)}`);
  });
  try {
    return JSON.parse(text);
  } catch (error) {
    const message = (error as Error).message;
    const position = /at position (\d+)/.exec(message);
    const { line, column } = lineAndColumn(text, position ? Number(position[1]) : text.length);
    const reason = message.replace(/\s*(in JSON )?at position \d+.*$/, '').replace(/^JSON\.parse: /, '');
    throw new ConfigError(`fixture ${path} is not valid JSON: line ${line}, column ${column}: ${reason}`);
  }
}
