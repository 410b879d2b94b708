import { describe, expect, it } from 'vitest';
import { characterCount, parseTransferCommand } from '../../src/domain/transfer-request.js';
import { WecomError } from '../../src/domain/wecom-error.js';

function codeOf(body: unknown): { code: number; warning: boolean } | 'ok' {
  try {
    parseTransferCommand(body);
    return 'ok';
  } catch (error) {
    if (!(error instanceof WecomError)) throw error;
    return { code: error.errcode, warning: error.wrongJsonFormat };
  }
}

const valid = { handover_userid: 'alice', takeover_userid: 'bob', external_userid: ['wm1'] };

describe('parseTransferCommand (behaviour §9.1 step 4)', () => {
  it.each([
    ['a JSON array body', ['x'], 40058, true],
    ['a string body', 'x', 40058, true],
    ['null body', null, 40058, true],
    ['handover missing', { ...valid, handover_userid: undefined }, 41009, false],
    ['handover empty', { ...valid, handover_userid: '' }, 41009, false],
    ['handover a number', { ...valid, handover_userid: 7 }, 41009, true],
    ['takeover missing', { ...valid, takeover_userid: undefined }, 41009, false],
    ['both userids missing and ids missing: userid first', { transfer_success_msg: 'x' }, 41009, false],
    ['external_userid missing', { ...valid, external_userid: undefined }, 41035, false],
    ['external_userid empty', { ...valid, external_userid: [] }, 41035, false],
    ['external_userid a string', { ...valid, external_userid: 'wm1' }, 41035, true],
    ['external_userid holding a number', { ...valid, external_userid: ['wm1', 2] }, 41035, false],
    ['101 ids', { ...valid, external_userid: Array.from({ length: 101 }, (_, i) => `wm${i}`) }, 40058, false],
    ['message of 201 characters', { ...valid, transfer_success_msg: '字'.repeat(201) }, 40058, false],
    ['message not a string', { ...valid, transfer_success_msg: 5 }, 40058, true],
  ])('%s → %i', (_name, body, code, warning) => {
    expect(codeOf(body)).toEqual({ code, warning });
  });

  it('accepts 100 ids and a 200-code-point message made of astral characters', () => {
    const message = '😀'.repeat(200);
    expect(message.length).toBe(400);
    const command = parseTransferCommand({ ...valid, external_userid: Array.from({ length: 100 }, (_, i) => `wm${i}`), transfer_success_msg: message });
    expect(command.externalUserids).toHaveLength(100);
    expect(command.message).toBe(message);
  });

  it('keeps ids in request order with duplicates, and treats an empty message as absent', () => {
    expect(parseTransferCommand({ ...valid, external_userid: ['b', 'a', 'b'], transfer_success_msg: '' })).toEqual({
      handoverUserid: 'alice',
      takeoverUserid: 'bob',
      externalUserids: ['b', 'a', 'b'],
      message: null,
    });
  });

  it('counts code points, not UTF-16 units', () => {
    expect(characterCount('a😀字')).toBe(3);
  });
});
