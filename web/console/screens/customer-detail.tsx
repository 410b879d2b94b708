import type { ConsoleCustomerDetail } from '../../../src/wire/console.js';
import { outcomeWord, when } from '../format.js';
import { useLoad, useShell } from '../state.js';
import { Failure, Link, useAction } from '../widgets.js';

export function CustomerDetail({ corpid, externalUserid }: { corpid: string; externalUserid: string }) {
  const { api } = useShell();
  const { data, error } = useLoad(() => api.get<ConsoleCustomerDetail>(`/admin/customers/${encodeURIComponent(externalUserid)}`, { corpid }), [corpid, externalUserid]);
  const action = useAction();
  const refuse = () =>
    action.run(async () => {
      await api.send('POST', `/admin/customers/${encodeURIComponent(externalUserid)}/refuse`, undefined, { corpid });
      return `${externalUserid} refused the transfer.`;
    });
  return (
    <section aria-labelledby="customer-title">
      <p>
        <Link href="/console/customers">All customers</Link>
      </p>
      <h1 id="customer-title">
        {data?.name ?? externalUserid} <code>{externalUserid}</code>
      </h1>
      <Failure error={error ?? action.error} />
      {data && (
        <>
          <p>
            {data.type === 2 ? `WeCom user of ${data.corp_full_name ?? data.corp_name ?? 'another company'}` : 'WeChat user'}
            {data.position ? `, ${data.position}` : ''}
          </p>
          <h2>Followers</h2>
          <table>
            <thead>
              <tr>
                <th scope="col">Member</th>
                <th scope="col">Remark</th>
                <th scope="col">Tags</th>
                <th scope="col">Since</th>
                <th scope="col">Added by</th>
              </tr>
            </thead>
            <tbody>
              {data.follow.map((f) => (
                <tr key={f.userid}>
                  <td>{f.userid}</td>
                  <td>{f.remark}</td>
                  <td>{f.tags.map((t) => `${t.group_name}/${t.tag_name}`).join(', ')}</td>
                  <td>{when(f.created_at)}</td>
                  <td>{f.add_way === 202 ? 'transfer (202)' : f.add_way}</td>
                </tr>
              ))}
            </tbody>
          </table>
          <h2>Transfers</h2>
          <table>
            <thead>
              <tr>
                <th scope="col">Kind</th>
                <th scope="col">From</th>
                <th scope="col">To</th>
                <th scope="col">Status</th>
                <th scope="col">Started</th>
                <th scope="col">Due</th>
                <th scope="col">Ended</th>
                <th scope="col">Action</th>
              </tr>
            </thead>
            <tbody>
              {data.transfers.map((t) => (
                <tr key={t.id}>
                  <td>{t.kind}</td>
                  <td>{t.handover_userid}</td>
                  <td>{t.takeover_userid}</td>
                  <td>{outcomeWord(t.outcome)}</td>
                  <td>{when(t.started_at)}</td>
                  <td>{when(t.due_at)}</td>
                  <td>{when(t.ended_at)}</td>
                  <td>
                    {t.outcome === 'waiting' && (
                      <button type="button" disabled={action.busy} onClick={refuse}>
                        Refuse transfer
                      </button>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
          <h2>90-day quota</h2>
          <p>
            {data.quota.used} of {data.quota.max_transfers} transfers used in the last {data.quota.window_days} days; {data.quota.left} left
            {data.quota.next_frees_at ? `; the next frees up on ${when(data.quota.next_frees_at)}` : ''}.
          </p>
          <h2>Messages received</h2>
          {data.messages.length === 0 ? (
            <p>None.</p>
          ) : (
            <ul>
              {data.messages.map((m, i) => (
                <li key={i}>
                  {when(m.sent_at)} from {m.from_userid}: {m.content}
                </li>
              ))}
            </ul>
          )}
        </>
      )}
    </section>
  );
}
