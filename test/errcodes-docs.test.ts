import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ERRCODES } from '../src/domain/errcodes.js';

/** Rows of the table in docs/errcodes.md: `| code | \`errmsg\` | rule |`. */
function documentedRows(): string[] {
  const text = readFileSync(new URL('../docs/errcodes.md', import.meta.url), 'utf8');
  return text
    .split('\n')
    .filter((line) => /^\| -?\d+ \|/.test(line))
    .map((line) => line.trim());
}

describe('docs/errcodes.md ⇄ src/domain/errcodes.ts (architecture rule 6)', () => {
  const table = Object.values(ERRCODES).map((e) => `| ${e.code} | \`${e.errmsg}\` | ${e.rule} |`);

  it('documents every code handover answers with, exactly as the table says', () => {
    const documented = new Set(documentedRows());
    expect(table.filter((row) => !documented.has(row))).toEqual([]);
  });

  it('documents nothing the table does not have', () => {
    const known = new Set(table);
    expect(documentedRows().filter((row) => !known.has(row))).toEqual([]);
  });

  it('has each code once', () => {
    const codes = Object.values(ERRCODES).map((e) => e.code);
    expect(new Set(codes).size).toBe(codes.length);
  });
});
