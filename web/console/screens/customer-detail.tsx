import type { ConsoleCustomerDetail } from '../../../src/wire/console.js';
import { when } from '../format.js';
import { useLoad, useShell } from '../state.js';
import { Failure, Head, Link } from '../widgets.js';
import { TransferTable } from './transfer-history.js';

export function CustomerDetail({ corpid, externalUserid }: { corpid: string; externalUserid: string }) {
  const { api } = useShell();
  const { data, error } = useLoad(() => api.get<ConsoleCustomerDetail>(`/admin/customers/${encodeURIComponent(externalUserid)}`, { corpid }), [corpid, externalUserid]);
  return (
    <section aria-labelledby="customer-title">
      <p>
        <Link href="/console/customers">All customers</Link>
      </p>
      <h1 id="customer-title">
        {data?.name ?? externalUserid} <code>{externalUserid}</code>
      </h1>
      <Failure error={error} />
      {data && (
        <>
          <p>
            {data.type === 2 ? `WeCom user of ${data.corp_full_name ?? data.corp_name ?? 'another company'}` : 'WeChat user'}
            {data.position ? `, ${data.position}` : ''}
          </p>
          <h2>Followers</h2>
          <table>
            <Head columns={['Member', 'Remark', 'Tags', 'Since', 'Added by']} />
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
          <h2 id="customer-transfers">Transfers</h2>
          <TransferTable transfers={data.transfers} labelledBy="customer-transfers" />
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
