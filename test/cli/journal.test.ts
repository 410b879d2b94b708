import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Journal } from '../../src/cli/journal.js';

describe('Journal', () => {
  it('keeps results, flags sent-without-result ids, tolerates a torn last line', () => {
    const path = join(mkdtempSync(join(tmpdir(), 'handover-journal-')), 'j.jsonl');
    const journal = new Journal(path);
    journal.sent(['a', 'b']);
    journal.result([{ id: 'a', errcode: 0 }, { id: 'b', errcode: 40128 }]);
    journal.sent(['c', 'd']);
    expect(readFileSync(path, 'utf8').split('\n')[0]).toBe('{"sent":["a","b"]}');
    writeFileSync(path, `${readFileSync(path, 'utf8')}{"result":[{"id":"c"`);
    const state = journal.read();
    expect([...state.results]).toEqual([['a', 0], ['b', 40128]]);
    expect([...state.unknown]).toEqual(['c', 'd']);
  });

  it('refuses a journal corrupted before its last line', () => {
    const path = join(mkdtempSync(join(tmpdir(), 'handover-journal-')), 'j.jsonl');
    writeFileSync(path, 'garbage\n{"sent":["a"]}\n{"result":[{"id":"a","errcode":0}]}\n');
    expect(() => new Journal(path).read()).toThrow(/line 1 is damaged/);
  });
});
