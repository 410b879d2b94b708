import { describe, expect, it } from 'vitest';
import { resignedTransferAll } from '../../src/sdk/batch.js';
import { WecomError, WecomTransportError } from '../../src/sdk/errors.js';
import { transferGroupchatsAll } from '../../src/sdk/groupchat-batch.js';
import { classifyAnswer } from '../../src/sdk/retry.js';
import { fakeClient as client, fakeFetch, networkError, tokenAnswer } from '../support/fake-fetch.js';

const OK = { errcode: 0, errmsg: 'ok' };
const answering = (handler: (path: string, body: any) => unknown) => fakeFetch((url, body) => (url.pathname.endsWith('gettoken') ? tokenAnswer() : handler(url.pathname, body)));
const accepted = (ids: string[], code = (_id: string) => 0) => ({ ...OK, customer: ids.map((external_userid) => ({ external_userid, errcode: code(external_userid) })) });

describe('resigned family with a fake fetch', () => {
  it('getUnassignedList posts the body; unassignedCustomers follows next_cursor until is_last and filters by handover', async () => {
    const rows = (handover: string, ids: string[]) => ids.map((external_userid) => ({ handover_userid: handover, external_userid, dimission_time: 1_795_000_000 }));
    const pages: Record<string, unknown> = {
      '': { ...OK, info: rows('alice', ['wm1', 'wm2']), is_last: false, next_cursor: 'P2' },
      P2: { ...OK, info: [...rows('alice', ['wm3']), ...rows('dan', ['wm9'])], is_last: false, next_cursor: 'P3' },
      P3: { ...OK, info: rows('dan', ['wm8']), is_last: true, next_cursor: '' },
    };
    const fake = answering((_path, body) => pages[body.cursor ?? '']);
    const sdk = client(fake.impl);
    expect((await sdk.getUnassignedList({ page_id: 0, page_size: 10 })).is_last).toBe(false);
    expect(fake.calls.at(-1)).toMatchObject({ path: '/cgi-bin/externalcontact/get_unassigned_list', body: { page_id: 0, page_size: 10 }, token: 'TOKEN1' });
    const all: string[] = [];
    for await (const row of sdk.unassignedCustomers()) all.push(`${row.handover_userid}:${row.external_userid}`);
    expect(all).toEqual(['alice:wm1', 'alice:wm2', 'alice:wm3', 'dan:wm9', 'dan:wm8']);
    const alices: string[] = [];
    for await (const row of sdk.unassignedCustomers({ handover: 'alice', pageSize: 2 })) alices.push(row.external_userid);
    expect(alices).toEqual(['wm1', 'wm2', 'wm3']);
    expect(fake.calls.filter((c) => c.body?.cursor !== undefined).map((c) => [c.body.cursor, c.body.page_size])).toEqual([
      ['', 1000], ['P2', 1000], ['P3', 1000], ['', 2], ['P2', 2], ['P3', 2],
    ]);
  });

  it('stops at is_last even if a cursor comes back, and at a missing cursor', async () => {
    const fake = answering(() => ({ ...OK, info: [{ handover_userid: 'a', external_userid: 'wm1', dimission_time: 1 }], is_last: true, next_cursor: 'IGNORED' }));
    const seen = [];
    for await (const row of client(fake.impl).unassignedCustomers()) seen.push(row);
    expect(seen).toHaveLength(1);
    const legacy = answering(() => ({ ...OK, info: [], is_last: false }));
    for await (const _ of client(legacy.impl).unassignedCustomers()) throw new Error('no rows expected');
    expect(legacy.count('get_unassigned_list')).toBe(1);
  });

  it('resignedTransferCustomer is retried on a busy answer that started nothing, never after one that lists customers or a maybe-sent network error', async () => {
    const answers: unknown[] = [{ errcode: -1, errmsg: 'busy', customer: [] }];
    const fake = answering((path, body) => answers.shift() ?? accepted(body.external_userid));
    const answer = await client(fake.impl).resignedTransferCustomer({ handover_userid: 'alice', takeover_userid: 'bob', external_userid: ['wm1'] });
    expect(answer.customer).toEqual([{ external_userid: 'wm1', errcode: 0 }]);
    expect(fake.count('resigned/transfer_customer')).toBe(2);
    expect(fake.calls.at(-1)!.body).toEqual({ handover_userid: 'alice', takeover_userid: 'bob', external_userid: ['wm1'] });

    const partial = answering(() => ({ errcode: 45009, errmsg: 'freq', customer: [{ external_userid: 'wm1', errcode: 0 }] }));
    await expect(client(partial.impl).resignedTransferCustomer({ handover_userid: 'a', takeover_userid: 'b', external_userid: ['wm1'] })).rejects.toBeInstanceOf(WecomError);
    expect(partial.count('resigned/transfer_customer')).toBe(1);

    const reset = answering(() => networkError('ECONNRESET'));
    const error = await client(reset.impl).resignedTransferCustomer({ handover_userid: 'a', takeover_userid: 'b', external_userid: ['wm1'] }).catch((e) => e);
    expect(error).toMatchObject({ maybeSent: true });
    expect(error).toBeInstanceOf(WecomTransportError);
    expect(reset.count('resigned/transfer_customer')).toBe(1);
  });

  it('a whole-call 40097 throws with its explanation', async () => {
    const fake = answering(() => ({ errcode: 40097, errmsg: 'handover not resigned', customer: [] }));
    const error = await client(fake.impl).resignedTransferCustomer({ handover_userid: 'a', takeover_userid: 'b', external_userid: ['wm1'] }).catch((e) => e);
    expect(error).toMatchObject({ errcode: 40097, explanation: 'the handover member has not resigned (use transfer_customer for members in service)' });
  });

  it('resignedTransferResults pages the resigned endpoint with either pair spelling', async () => {
    const pages: Record<string, unknown> = {
      '': { ...OK, customer: [{ external_userid: 'wm1', status: 2, takeover_time: 5 }], next_cursor: 'C2' },
      C2: { ...OK, customer: [{ external_userid: 'wm2', status: 3, takeover_time: 0 }], next_cursor: '' },
    };
    const fake = answering((_path, body) => pages[body.cursor ?? '']);
    const sdk = client(fake.impl);
    const seen: string[] = [];
    for await (const entry of sdk.resignedTransferResults({ handover: 'alice', takeover: 'bob' })) seen.push(`${entry.external_userid}:${entry.status}`);
    for await (const entry of sdk.resignedTransferResults({ handover_userid: 'alice', takeover_userid: 'bob' })) seen.push(`${entry.external_userid}:${entry.status}`);
    expect(seen).toEqual(['wm1:2', 'wm2:3', 'wm1:2', 'wm2:3']);
    expect(fake.calls.filter((c) => c.body).every((c) => c.path === '/cgi-bin/externalcontact/resigned/transfer_result' && c.body.handover_userid === 'alice')).toBe(true);
    expect((await sdk.resignedTransferResult({ handover_userid: 'alice', takeover_userid: 'bob', cursor: 'C2' })).customer).toHaveLength(1);
  });

  it('resignedTransferAll sends 100 per call to the resigned endpoint, without a message, outcomes in input order', async () => {
    const fake = answering((_path, body) => accepted([...body.external_userid].reverse(), (id) => (id.endsWith('3') ? 40099 : 0)));
    const ids = Array.from({ length: 230 }, (_, i) => `wm${i}`);
    const progress: number[] = [];
    const outcomes = await resignedTransferAll(client(fake.impl), { handover: 'alice', takeover: 'bob', externalUserIds: ids, onProgress: ({ done }) => void progress.push(done) });
    expect(outcomes.map((o) => o.externalUserId)).toEqual(ids);
    expect(outcomes.filter((o) => o.errcode === 40099)).toHaveLength(23);
    expect(progress).toEqual([100, 200, 230]);
    const sent = fake.calls.filter((c) => c.body);
    expect(sent.map((c) => [c.path, c.body.external_userid.length, 'transfer_success_msg' in c.body])).toEqual([
      ['/cgi-bin/externalcontact/resigned/transfer_customer', 100, false],
      ['/cgi-bin/externalcontact/resigned/transfer_customer', 100, false],
      ['/cgi-bin/externalcontact/resigned/transfer_customer', 30, false],
    ]);
  });
});

describe('customer groups with a fake fetch', () => {
  it('groupchatList / groupchats page with filters; groupchatGet posts chat_id and need_name', async () => {
    const pages: Record<string, unknown> = {
      '': { ...OK, group_chat_list: [{ chat_id: 'wr1', status: 1 }], next_cursor: 'G2' },
      G2: { ...OK, group_chat_list: [{ chat_id: 'wr2', status: 1 }], next_cursor: '' },
    };
    const fake = answering((path, body) =>
      path.endsWith('groupchat/get') ? { ...OK, group_chat: { chat_id: body.chat_id, name: 'G', owner: 'alice', create_time: 1, notice: '', member_list: [], admin_list: [] } } : pages[body.cursor ?? ''],
    );
    const sdk = client(fake.impl);
    const seen: string[] = [];
    for await (const { chat_id } of sdk.groupchats({ owners: ['alice'], status: 1 })) seen.push(chat_id);
    expect(seen).toEqual(['wr1', 'wr2']);
    expect(fake.calls.filter((c) => c.path.endsWith('groupchat/list')).map((c) => c.body)).toEqual([
      { limit: 1000, status_filter: 1, owner_filter: { userid_list: ['alice'] }, cursor: '' },
      { limit: 1000, status_filter: 1, owner_filter: { userid_list: ['alice'] }, cursor: 'G2' },
    ]);
    await sdk.groupchatList({ limit: 5 });
    expect(fake.calls.at(-1)!.body).toEqual({ limit: 5 });
    const { group_chat } = await sdk.groupchatGet({ chat_id: 'wr1', need_name: 1 });
    expect(group_chat.owner).toBe('alice');
    expect(fake.calls.at(-1)).toMatchObject({ path: '/cgi-bin/externalcontact/groupchat/get', body: { chat_id: 'wr1', need_name: 1 } });
  });

  it('groupchatOnjobTransfer and groupchatTransfer post to their paths and are never resent after a maybe-sent network error', async () => {
    const fake = answering(() => ({ ...OK, failed_chat_list: [] }));
    const sdk = client(fake.impl);
    await sdk.groupchatOnjobTransfer({ chat_id_list: ['wr1'], new_owner: 'bob' });
    await sdk.groupchatTransfer({ chat_id_list: ['wr2'], new_owner: 'bob' });
    expect(fake.calls.filter((c) => c.body).map((c) => [c.path, c.body])).toEqual([
      ['/cgi-bin/externalcontact/groupchat/onjob_transfer', { chat_id_list: ['wr1'], new_owner: 'bob' }],
      ['/cgi-bin/externalcontact/groupchat/transfer', { chat_id_list: ['wr2'], new_owner: 'bob' }],
    ]);
    const reset = answering(() => networkError('ECONNRESET'));
    await expect(client(reset.impl).groupchatTransfer({ chat_id_list: ['wr1'], new_owner: 'bob' })).rejects.toBeInstanceOf(WecomTransportError);
    expect(reset.count('groupchat/transfer')).toBe(1);
    expect(classifyAnswer({ errcode: -1, errmsg: 'busy', failed_chat_list: [{ chat_id: 'wr1', errcode: 90501, errmsg: '' }] } as never)).toBe('error');
    expect(classifyAnswer({ errcode: -1, errmsg: 'busy', failed_chat_list: [] } as never)).toBe('retry');
  });

  it('transferGroupchatsAll sends 100 per call and gives every chat an outcome (unlisted = transferred)', async () => {
    const fake = answering((_path, body) => ({ ...OK, failed_chat_list: body.chat_id_list.filter((id: string) => id.endsWith('7')).map((chat_id: string) => ({ chat_id, errcode: 90500, errmsg: 'the owner of this chat is not resigned' })) }));
    const ids = Array.from({ length: 150 }, (_, i) => `wr${i}`);
    const outcomes = await transferGroupchatsAll(client(fake.impl), { chatIds: ids, newOwner: 'bob', resigned: true });
    expect(outcomes.map((o) => o.chatId)).toEqual(ids);
    expect(outcomes.filter((o) => o.errcode === 90500)).toHaveLength(15);
    expect(outcomes.find((o) => o.chatId === 'wr7')).toEqual({ chatId: 'wr7', errcode: 90500, errmsg: 'the owner of this chat is not resigned' });
    expect(fake.calls.filter((c) => c.body).map((c) => [c.path, c.body.chat_id_list.length])).toEqual([
      ['/cgi-bin/externalcontact/groupchat/transfer', 100],
      ['/cgi-bin/externalcontact/groupchat/transfer', 50],
    ]);
    await transferGroupchatsAll(client(fake.impl), { chatIds: ['wr1'], newOwner: 'bob' });
    expect(fake.calls.at(-1)!.path).toBe('/cgi-bin/externalcontact/groupchat/onjob_transfer');
  });
});

describe('older calls with a fake fetch', () => {
  it('deprecated transfer throws the per-customer code; getTransferResult answers status 5 for no record', async () => {
    const fake = answering((path, body) =>
      path.endsWith('/externalcontact/transfer')
        ? body.external_userid === 'wmBusy' ? { errcode: 40100, errmsg: 'in transfer' } : OK
        : { ...OK, status: 5, takeover_time: 0 },
    );
    const sdk = client(fake.impl);
    expect(await sdk.transfer({ external_userid: 'wm1', handover_userid: 'alice', takeover_userid: 'bob' })).toEqual(OK);
    await expect(sdk.transfer({ external_userid: 'wmBusy', handover_userid: 'alice', takeover_userid: 'bob' })).rejects.toMatchObject({ errcode: 40100 });
    expect(await sdk.getTransferResult({ handover_userid: 'alice', takeover_userid: 'bob', external_userid: 'wm1' })).toMatchObject({ status: 5, takeover_time: 0 });
    expect(fake.calls.filter((c) => c.body).map((c) => c.path)).toEqual([
      '/cgi-bin/externalcontact/transfer',
      '/cgi-bin/externalcontact/transfer',
      '/cgi-bin/externalcontact/get_transfer_result',
    ]);
    const reset = answering(() => networkError('ECONNRESET'));
    await expect(client(reset.impl).transfer({ external_userid: 'wm1', handover_userid: 'a', takeover_userid: 'b' })).rejects.toBeInstanceOf(WecomTransportError);
    expect(reset.count('/externalcontact/transfer')).toBe(1);
  });

  it('batchGetByUser and batchGetByUserAll take the single userid form', async () => {
    const contact = (id: string) => ({ external_contact: { external_userid: id }, follow_info: { userid: 'alice' } });
    const fake = answering((_path, body) => (body.cursor ? { ...OK, external_contact_list: [contact('wm2')], next_cursor: '' } : { ...OK, external_contact_list: [contact('wm1')], next_cursor: 'B2' }));
    const seen: string[] = [];
    for await (const entry of client(fake.impl).batchGetByUserAll({ userid: 'alice', limit: 1 })) seen.push(entry.external_contact.external_userid);
    expect(seen).toEqual(['wm1', 'wm2']);
    expect(fake.calls.filter((c) => c.body).map((c) => c.body)).toEqual([{ userid: 'alice', limit: 1 }, { userid: 'alice', limit: 1, cursor: 'B2' }]);
  });
});
