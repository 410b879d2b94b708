import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { wecomCallbacks } from '../../src/outbox/wecom-callbacks.js';
import type { CallbackSender } from '../../src/service/callback-ports.js';
import { deliverDueEvents } from '../../src/service/deliver-events.js';
import { AGENT, CORP, customerIds } from '../support/company.js';
import { useHarness } from '../support/harness.js';
import { testBackends } from '../support/stores.js';
import { CALLBACK_KEY, CALLBACK_TOKEN, startReceiver, type TestReceiver } from './receiver.js';

const ids = customerIds(3);

/**
 * Issue 11, defect 10: the delivery worker had no per-delivery catch. One row whose XML could not be
 * built failed the whole round: its round-mates, already sent, were sent again when the lease ran out,
 * and the bad row never became dead. Each delivery's failure is now recorded for that row alone.
 */
describe.each(await testBackends())('one outbox row that cannot be sent, on %s', (backend) => {
  const h = useHarness(backend, { env: { HANDOVER_DELIVERY: 'off' } });
  let receiver: TestReceiver;
  beforeEach(async () => {
    receiver = await startReceiver(CORP);
  });
  afterEach(async () => {
    await receiver.close();
  });

  it('is dead at once, alone; its round-mates are delivered once and recorded so', async () => {
    await h.server.admin('PUT', `/admin/apps/${AGENT}/callback?corpid=${CORP}`, { url: receiver.url, token: CALLBACK_TOKEN, encoding_aes_key: CALLBACK_KEY });
    await h.transfer({ handover_userid: 'alice', takeover_userid: 'carol', external_userid: ids });
    for (const id of ids) await h.server.admin('POST', `/admin/customers/${id}/refuse`);
    const rows = async () => (await h.server.admin('GET', '/admin/events')).events;
    const [, bad] = await rows();

    // The real sender, except that the middle row carries a ChangeType with no XML form, as a damaged row would.
    const real = wecomCallbacks({ timeoutMs: 2000, backoffSeconds: [0.05], realNow: Date.now }).sender;
    const sender: CallbackSender = { send: (delivery) => real.send(delivery.id === bad.id ? { ...delivery, type: 'no_such_change' } : delivery) };
    const policy = { batchSize: 10, timeoutMs: 2000, retries: 3, retryDelay: () => 50, concurrency: 2 };
    const ctx = h.server.server.ctx;

    expect(await deliverDueEvents(ctx, sender, policy)).toBe(3);
    expect((await rows()).map((r: any) => [r.payload.ExternalUserID, r.status, r.attempts, r.last_error])).toEqual([
      [ids[0], 'delivered', 1, null],
      [ids[1], 'dead', 1, 'cannot be sent: ChangeType "no_such_change" has no XML form'],
      [ids[2], 'delivered', 1, null],
    ]);
    expect(receiver.events.map((e) => e.ExternalUserID).sort()).toEqual([ids[0], ids[2]]);
    // Nothing is left to send: the next round leases nothing, and nobody is sent twice.
    expect(await deliverDueEvents(ctx, sender, policy)).toBe(0);
    expect(receiver.attempts).toBe(2);
  });
});
