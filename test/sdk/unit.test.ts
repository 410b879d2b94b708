import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { chunk, transferAll } from '../../src/sdk/batch.js';
import { explainErrcode, WecomError, WecomTransportError } from '../../src/sdk/errors.js';
import { backoffDelay, classifyAnswer, mayRetryTransportFailure } from '../../src/sdk/retry.js';
import { TokenCache } from '../../src/sdk/token-cache.js';
import { fakeClient, fakeFetch, networkError, tokenAnswer } from '../support/fake-fetch.js';

const client = fakeClient;
const ok = (ids: string[]) => ({ errcode: 0, errmsg: 'ok', customer: ids.map((external_userid) => ({ external_userid, errcode: 0 })) });
const REQUEST = { handover_userid: 'alice', takeover_userid: 'bob', external_userid: ['wm1', 'wm2'] };

describe('retry classification', () => {
  it('retries busy answers only when they list no customers', () => {
    expect(classifyAnswer({ errcode: 0, errmsg: 'ok' })).toBe('ok');
    for (const errcode of [-1, 45009, 45033]) {
      expect(classifyAnswer({ errcode, errmsg: '', customer: [] } as never)).toBe('retry');
      expect(classifyAnswer({ errcode, errmsg: '' })).toBe('retry');
      expect(classifyAnswer({ errcode, errmsg: '', customer: [{ external_userid: 'wm1', errcode: 0 }] } as never)).toBe('error');
    }
    expect(classifyAnswer({ errcode: 40014, errmsg: '' })).toBe('token');
    expect(classifyAnswer({ errcode: 42001, errmsg: '' })).toBe('token');
    expect(classifyAnswer({ errcode: 40003, errmsg: '' })).toBe('error');
    expect(classifyAnswer({ errcode: 84061, errmsg: '' }, [84061])).toBe('ok');
  });

  it('resends after a network failure only when idempotent or provably unsent', () => {
    expect(mayRetryTransportFailure(true, true)).toBe(true);
    expect(mayRetryTransportFailure(false, false)).toBe(true);
    expect(mayRetryTransportFailure(false, true)).toBe(false);
  });

  it('backs off exponentially with full jitter, capped', () => {
    const policy = { attempts: 5, baseDelayMs: 100, maxDelayMs: 1000 };
    expect([1, 2, 3, 4, 5].map((a) => backoffDelay(a, policy, () => 1))).toEqual([100, 200, 400, 800, 1000]);
    expect(backoffDelay(3, policy, () => 0)).toBe(0);
  });

  it('explains every documented errcode in words', () => {
    const documented = [...readFileSync(join(import.meta.dirname, '../../docs/errcodes.md'), 'utf8').matchAll(/^\| (-?\d+) \|/gm)].map((m) => Number(m[1]));
    expect(documented.length).toBeGreaterThan(20);
    for (const code of documented) expect(explainErrcode(code)).not.toMatch(/^WeCom error/);
    expect(explainErrcode(123456)).toBe('WeCom error 123456');
  });
});

describe('WecomClient with a fake fetch', () => {
  it('retries a transfer answered -1 / 45009 with nothing started, then succeeds', async () => {
    const answers = [{ errcode: -1, errmsg: 'system busy', customer: [] }, { errcode: 45009, errmsg: 'freq', customer: [] }];
    const fake = fakeFetch((url, body) => (url.pathname.endsWith('gettoken') ? tokenAnswer() : answers.shift() ?? ok(body.external_userid)));
    const answer = await client(fake.impl).transferCustomer(REQUEST);
    expect(answer.customer.map((c) => c.errcode)).toEqual([0, 0]);
    expect(fake.count('transfer_customer')).toBe(3);
  });

  it('does not retry a busy answer that lists customers', async () => {
    const fake = fakeFetch((url) => (url.pathname.endsWith('gettoken') ? tokenAnswer() : { errcode: -1, errmsg: 'busy', customer: [{ external_userid: 'wm1', errcode: 0 }] }));
    await expect(client(fake.impl).transferCustomer(REQUEST)).rejects.toMatchObject({ errcode: -1 });
    expect(fake.count('transfer_customer')).toBe(1);
  });

  it('never resends a transfer after a network error that may have reached the server; does after a refused connection', async () => {
    const reset = fakeFetch((url) => (url.pathname.endsWith('gettoken') ? tokenAnswer() : networkError('ECONNRESET')));
    const error = await client(reset.impl).transferCustomer(REQUEST).catch((e) => e);
    expect(error).toBeInstanceOf(WecomTransportError);
    expect(error.maybeSent).toBe(true);
    expect(reset.count('transfer_customer')).toBe(1);

    let refused = 2;
    const flaky = fakeFetch((url, body) => (url.pathname.endsWith('gettoken') ? tokenAnswer() : refused-- > 0 ? networkError('ECONNREFUSED') : ok(body.external_userid)));
    await client(flaky.impl).transferCustomer(REQUEST);
    expect(flaky.count('transfer_customer')).toBe(3);
  });

  it('retries idempotent reads after network errors, bounded', async () => {
    const fake = fakeFetch((url) => (url.pathname.endsWith('gettoken') ? tokenAnswer() : networkError('ECONNRESET')));
    await expect(client(fake.impl, 3).getFollowUserList()).rejects.toBeInstanceOf(WecomTransportError);
    expect(fake.count('get_follow_user_list')).toBe(3);
  });

  it('on 42001 drops the token, fetches a new one and sends the call once more', async () => {
    let tokens = 0;
    const fake = fakeFetch((url) => {
      if (url.pathname.endsWith('gettoken')) return tokenAnswer(++tokens);
      return url.searchParams.get('access_token') === 'TOKEN1' ? { errcode: 42001, errmsg: 'expired' } : { errcode: 0, errmsg: 'ok', follow_user: ['alice'] };
    });
    expect(await client(fake.impl).getFollowUserList()).toEqual(['alice']);
    expect(tokens).toBe(2);
    const stale = fakeFetch((url) => (url.pathname.endsWith('gettoken') ? tokenAnswer() : { errcode: 40014, errmsg: 'invalid' }));
    await expect(client(stale.impl).getFollowUserList()).rejects.toMatchObject({ errcode: 40014 });
    expect(stale.count('get_follow_user_list')).toBe(2);
  });

  it('answers 84061 from list as an empty array and other errors as WecomError', async () => {
    const fake = fakeFetch((url) =>
      url.pathname.endsWith('gettoken') ? tokenAnswer() : url.searchParams.get('userid') === 'nobody' ? { errcode: 84061, errmsg: 'not exist' } : { errcode: 40003, errmsg: 'invalid userid' },
    );
    expect(await client(fake.impl).listExternalContacts('nobody')).toEqual([]);
    const error = await client(fake.impl).listExternalContacts('ghost').catch((e) => e);
    expect(error).toBeInstanceOf(WecomError);
    expect(error).toMatchObject({ errcode: 40003, explanation: 'the userid does not exist in the corp' });
  });

  it('pages transferResults to the end with either pair spelling', async () => {
    const pages: Record<string, unknown> = {
      '': { errcode: 0, errmsg: 'ok', customer: [{ external_userid: 'wm1', status: 2, takeover_time: 1 }], next_cursor: 'C2' },
      C2: { errcode: 0, errmsg: 'ok', customer: [{ external_userid: 'wm2', status: 1, takeover_time: 1 }], next_cursor: '' },
    };
    const fake = fakeFetch((url, body) => (url.pathname.endsWith('gettoken') ? tokenAnswer() : pages[body.cursor ?? '']));
    const sdk = client(fake.impl);
    const seen: string[] = [];
    for await (const entry of sdk.transferResults({ handover: 'alice', takeover: 'bob' })) seen.push(entry.external_userid);
    for await (const entry of sdk.transferResults({ handover_userid: 'alice', takeover_userid: 'bob' })) seen.push(entry.external_userid);
    expect(seen).toEqual(['wm1', 'wm2', 'wm1', 'wm2']);
    expect(fake.calls.filter((c) => c.body).every((c) => c.body.handover_userid === 'alice' && c.body.takeover_userid === 'bob')).toBe(true);
  });
});

describe('TokenCache', () => {
  it('has one refresh in flight however many wait, and refreshes 5 minutes before expiry', async () => {
    let now = 0;
    let fetches = 0;
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const cache = new TokenCache(async () => {
      fetches++;
      await gate;
      return { errcode: 0, errmsg: 'ok', access_token: `T${fetches}`, expires_in: 7200 };
    }, () => now);
    const waiting = Promise.all(Array.from({ length: 50 }, () => cache.get()));
    release();
    expect(new Set(await waiting)).toEqual(new Set(['T1']));
    expect(fetches).toBe(1);
    now = (7200 - 301) * 1000;
    expect(await cache.get()).toBe('T1');
    now = (7200 - 299) * 1000;
    expect(await cache.get()).toBe('T2');
    cache.invalidate('T1'); // a stale token's invalidation does not drop the new one
    expect(await cache.get()).toBe('T2');
    cache.invalidate();
    expect(await cache.get()).toBe('T3');
  });
});

describe('transferAll and chunking', () => {
  it('chunks by 100', () => {
    expect(chunk(Array.from({ length: 250 }, (_, i) => i)).map((c) => c.length)).toEqual([100, 100, 50]);
    expect(chunk([])).toEqual([]);
  });

  it('sends 100 per call and returns outcomes in input order even if the server reorders', async () => {
    const fake = fakeFetch((url, body) => {
      if (url.pathname.endsWith('gettoken')) return tokenAnswer();
      const ids = [...(body.external_userid as string[])].reverse();
      return { errcode: 0, errmsg: 'ok', customer: ids.map((external_userid) => ({ external_userid, errcode: external_userid.endsWith('7') ? 40131 : 0 })) };
    });
    const ids = Array.from({ length: 250 }, (_, i) => `wm${i}`);
    const outcomes = await transferAll(client(fake.impl), { handover: 'alice', takeover: 'bob', externalUserIds: ids, message: 'hi' });
    expect(outcomes.map((o) => o.externalUserId)).toEqual(ids);
    expect(outcomes.filter((o) => o.errcode === 40131)).toHaveLength(25);
    expect(fake.calls.filter((c) => c.body).map((c) => c.body.external_userid.length)).toEqual([100, 100, 50]);
    expect(fake.calls.find((c) => c.body)!.body.transfer_success_msg).toBe('hi');
  });
});
