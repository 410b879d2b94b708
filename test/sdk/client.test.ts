import { beforeEach, describe, expect, it } from 'vitest';
import { transferAll } from '../../src/sdk/batch.js';
import { WecomClient } from '../../src/sdk/client.js';
import { WecomError, WecomTransportError } from '../../src/sdk/errors.js';
import { CORP, customerIds, SECRET } from '../support/company.js';
import { useCompanyServer } from '../support/company-server.js';

const TRANSFER = '/cgi-bin/externalcontact/transfer_customer';

describe('SDK against a real handover server', () => {
  const server = useCompanyServer(2500);
  let gettokens = 0;
  let transferCalls = 0;
  const countingFetch: typeof fetch = (input, init) => {
    const url = String(input);
    if (url.includes('/cgi-bin/gettoken')) gettokens++;
    if (url.includes(TRANSFER)) transferCalls++;
    return fetch(input, init);
  };
  const client = () => new WecomClient({ corpId: CORP, secret: SECRET, baseUrl: server.baseUrl, fetch: countingFetch, retry: { baseDelayMs: 5, maxDelayMs: 20 } });

  beforeEach(async () => {
    gettokens = 0;
    transferCalls = 0;
  });

  it('transfers 2,500 customers 100 per call with every id’s outcome, in input order', async () => {
    const ids = [...customerIds(2500), 'wmNope', 'wmOrphan', customerIds(1)[0]!];
    const progress: number[] = [];
    const outcomes = await transferAll(client(), { handover: 'alice', takeover: 'carol', externalUserIds: ids, onProgress: ({ done }) => void progress.push(done) });
    expect(outcomes).toHaveLength(2503);
    expect(outcomes.map((o) => o.externalUserId)).toEqual(ids);
    expect(outcomes.slice(0, 2500).every((o) => o.errcode === 0)).toBe(true);
    expect(outcomes.slice(2500).map((o) => o.errcode)).toEqual([40096, 40131, 40129]);
    expect(transferCalls).toBe(26);
    expect(progress.at(-1)).toBe(2503);
    expect(gettokens).toBe(1);
    const statuses = [];
    for await (const entry of client().transferResults({ handover_userid: 'alice', takeover_userid: 'carol' })) statuses.push(entry.status);
    expect(statuses).toHaveLength(2500);
  });

  it('survives token expiry mid-run: one refresh, no call lost', async () => {
    const sdk = client();
    const ids = customerIds(1000);
    const outcomes = await transferAll(sdk, {
      handover: 'alice',
      takeover: 'carol',
      externalUserIds: ids,
      onProgress: async ({ done }) => {
        if (done === 300) await server.admin('POST', '/admin/clock', { advance_seconds: 7300 });
      },
    });
    expect(outcomes.every((o) => o.errcode === 0)).toBe(true);
    expect(gettokens).toBe(2);
    expect(transferCalls).toBe(11);
  });

  it('retries injected -1 and 45009 whole-call answers, which started nothing', async () => {
    await server.admin('POST', '/admin/faults', { path: TRANSFER, errcode: -1, count: 2 });
    const first = await client().transferCustomer({ handover_userid: 'alice', takeover_userid: 'carol', external_userid: customerIds(2) });
    expect(first.customer.map((c) => c.errcode)).toEqual([0, 0]);
    await server.admin('POST', '/admin/faults', { path: TRANSFER, errcode: 45009, count: 3 });
    const second = await client().transferCustomer({ handover_userid: 'alice', takeover_userid: 'carol', external_userid: customerIds(3).slice(2) });
    expect(second.customer.map((c) => c.errcode)).toEqual([0]);
    expect(transferCalls).toBe(7);
  });

  it('gives up after the bounded attempts with a typed error', async () => {
    await server.admin('POST', '/admin/faults', { path: TRANSFER, errcode: 45009, count: 10 });
    const error = await client().transferCustomer({ handover_userid: 'alice', takeover_userid: 'carol', external_userid: customerIds(1) }).catch((e) => e);
    expect(error).toBeInstanceOf(WecomError);
    expect(error).toMatchObject({ errcode: 45009, explanation: expect.stringMatching(/frequency/) });
    expect(transferCalls).toBe(5);
  });

  it('fetches one token however many calls wait for it', async () => {
    const sdk = client();
    const lists = await Promise.all(Array.from({ length: 20 }, () => sdk.listExternalContacts('victor')));
    expect(lists.every((l) => l.join() === 'wmBystander')).toBe(true);
    expect(gettokens).toBe(1);
    expect(await sdk.listExternalContacts('carol')).toEqual([]);
  });

  it('never resends a transfer_customer whose request may have reached the server', async () => {
    let sends = 0;
    const flaky: typeof fetch = async (input, init) => {
      if (String(input).includes(TRANSFER)) {
        sends++;
        await fetch(input, init);
        throw Object.assign(new TypeError('fetch failed'), { cause: { code: 'ECONNRESET' } });
      }
      return fetch(input, init);
    };
    const sdk = new WecomClient({ corpId: CORP, secret: SECRET, baseUrl: server.baseUrl, fetch: flaky, retry: { baseDelayMs: 1 } });
    const error = await sdk.transferCustomer({ handover_userid: 'alice', takeover_userid: 'carol', external_userid: customerIds(1) }).catch((e) => e);
    expect(error).toBeInstanceOf(WecomTransportError);
    expect(error.maybeSent).toBe(true);
    expect(sends).toBe(1);
    const result = await client().transferResult({ handover_userid: 'alice', takeover_userid: 'carol' });
    expect(result.customer.map((c) => c.status)).toEqual([2]);
  });

  it('throws WecomError with an explanation for wrong credentials', async () => {
    const wrong = new WecomClient({ corpId: CORP, secret: 'wrong', baseUrl: server.baseUrl });
    await expect(wrong.getFollowUserList()).rejects.toMatchObject({ errcode: 40001, explanation: expect.stringMatching(/secret/) });
  });

  it('pages batch/get_by_user to the end', async () => {
    const seen = [];
    for await (const entry of client().batchGetByUserAll({ userid_list: ['alice'], limit: 100 })) seen.push(entry.external_contact.external_userid);
    expect(seen).toHaveLength(2501);
  });
});
