import { useState } from 'preact/hooks';
import type { ConsoleApp, ConsoleCustomer, ConsoleCustomerDetail, ConsoleMember } from '../../../src/wire/console.js';
import type { Api } from '../api.js';
import { reason } from '../format.js';
import { useLoad, useShell } from '../state.js';
import { Failure, Head, useAction } from '../widgets.js';
import { TransferHistory, WaitingTimeline } from './transfer-history.js';

interface Result {
  external_userid: string;
  errcode: number;
  reason: string;
}

/** The app an SDK user would call transfer_customer with: self-built with customer contact, or third-party with onjob_transfer. */
function transferApp(apps: ConsoleApp[]): ConsoleApp | undefined {
  return apps.find((a) => a.kind === 'self_built' && a.customer_contact_callable) ?? apps.find((a) => a.kind === 'third_party' && a.permissions.includes('onjob_transfer'));
}

/** Every customer a member follows (or only those with a tag), page by page through the admin read route. */
async function customersOf(api: Api, corpid: string, member: string, tag: string): Promise<string[]> {
  const ids: string[] = [];
  let after = '';
  for (;;) {
    const page = await api.get<{ customers: ConsoleCustomer[]; next: string | null }>('/admin/customers', { corpid, member, tag, after, limit: 500 });
    ids.push(...page.customers.map((c) => c.external_userid));
    if (!page.next) return ids;
    after = page.next;
  }
}

/** Suggestions for From and To: the first 500 members (typing any userid works too). */
function MemberOptions({ id }: { id: string }) {
  const { api, corp } = useShell();
  const { data } = useLoad(
    () => (corp ? api.get<{ members: ConsoleMember[] }>('/admin/members', { corpid: corp.corpid, limit: 500 }) : Promise.resolve(undefined)),
    [corp?.corpid],
  );
  return (
    <datalist id={id}>
      {data?.members.map((m) => (
        <option key={m.userid} value={m.userid}>
          {m.name}
        </option>
      ))}
    </datalist>
  );
}

export function TransfersScreen() {
  const { api, corp, selection } = useShell();
  const [from, setFrom] = useState('');
  const [to, setTo] = useState('');
  const [customers, setCustomers] = useState(selection.join('\n'));
  const [message, setMessage] = useState('');
  const [tag, setTag] = useState('');
  const [results, setResults] = useState<Result[] | null>(null);
  const action = useAction();
  const app = corp ? transferApp(corp.apps) : undefined;

  /** Exactly what an SDK does: gettoken with the app's secret, then transfer_customer in calls of at most 100 ids. */
  const start = () =>
    action.run(async () => {
      if (!corp || !app) throw new Error('this company has no app that may transfer customers');
      const ids = customers.split('\n').map((line) => line.trim()).filter(Boolean);
      const token = await api.wecom<{ errcode: number; errmsg: string; access_token?: string }>('GET', '/cgi-bin/gettoken', { corpid: corp.corpid, corpsecret: app.secret });
      if (!token.access_token) throw new Error(`gettoken: errcode ${token.errcode}, ${reason(token.errcode, token.errmsg)}`);
      const out: Result[] = [];
      for (let i = 0; i < Math.max(ids.length, 1); i += 100) {
        const chunk = ids.slice(i, i + 100);
        const body = { handover_userid: from, takeover_userid: to, external_userid: chunk, ...(message ? { transfer_success_msg: message } : {}) };
        const answer = await api.wecom<{ errcode: number; errmsg: string; customer?: { external_userid: string; errcode: number }[] }>(
          'POST',
          '/cgi-bin/externalcontact/transfer_customer',
          { access_token: token.access_token },
          body,
        );
        if (answer.errcode !== 0) throw new Error(`transfer_customer: errcode ${answer.errcode}, ${reason(answer.errcode, answer.errmsg)}`);
        for (const c of answer.customer ?? []) out.push({ ...c, reason: reason(c.errcode) });
      }
      // 40128 says when the customer may move again: its 90-day quota tells.
      await Promise.all(
        out
          .filter((r) => r.errcode === 40128)
          .map(async (r) => {
            const detail = await api.get<ConsoleCustomerDetail>(`/admin/customers/${encodeURIComponent(r.external_userid)}`, { corpid: corp.corpid });
            r.reason = reason(40128, undefined, detail.quota.next_frees_at);
          }),
      );
      setResults(out);
      const started = out.filter((r) => r.errcode === 0).length;
      return `Started ${started} of ${out.length} transfers.`;
    });

  const fill = (withTag: boolean) =>
    action.run(async () => {
      if (!corp || !from) throw new Error('choose From first');
      const ids = await customersOf(api, corp.corpid, from, withTag ? tag : '');
      setCustomers(ids.join('\n'));
      return `${ids.length} customers of ${from} filled in.`;
    });

  const members = corp ? `members-${corp.corpid}` : 'members';
  return (
    <section aria-labelledby="transfers-title">
      <h1 id="transfers-title">Transfers</h1>
      <MemberOptions id={members} />
      <form
        class="transfer-form"
        aria-labelledby="start-title"
        onSubmit={(event) => {
          event.preventDefault();
          void start();
        }}
      >
        <h2 id="start-title">Start a transfer</h2>
        <p class="hint">
          Through the WeCom API, as an SDK would: gettoken for app {app ? app.agentid : '(none)'}, then transfer_customer.
        </p>
        <label for="transfer-from">From</label>
        <input id="transfer-from" list={members} value={from} onInput={(e) => setFrom((e.target as HTMLInputElement).value)} required />
        <label for="transfer-to">To</label>
        <input id="transfer-to" list={members} value={to} onInput={(e) => setTo((e.target as HTMLInputElement).value)} required />
        <label for="transfer-customers">Customers</label>
        <textarea id="transfer-customers" rows={6} aria-describedby="customers-hint" value={customers} onInput={(e) => setCustomers((e.target as HTMLTextAreaElement).value)} />
        <p id="customers-hint" class="hint">
          One external_userid per line, or fill them in:{' '}
          <button type="button" onClick={() => fill(false)} disabled={action.busy}>
            All of From’s customers
          </button>{' '}
          <label>
            Tag <input value={tag} class="narrow" onInput={(e) => setTag((e.target as HTMLInputElement).value)} />
          </label>{' '}
          <button type="button" onClick={() => fill(true)} disabled={action.busy || !tag}>
            From’s customers with this tag
          </button>{' '}
          (or select rows on the Customers screen).
        </p>
        <label for="transfer-message">Message</label>
        <textarea id="transfer-message" rows={2} maxLength={200} value={message} onInput={(e) => setMessage((e.target as HTMLTextAreaElement).value)} />
        <button type="submit" disabled={action.busy}>
          Start transfer
        </button>
      </form>
      <Failure error={action.error} />
      {results && (
        <table aria-label="Transfer results">
          <caption>Result per customer</caption>
          <Head columns={['Customer', 'errcode', 'Reason']} />
          <tbody>
            {results.map((r, i) => (
              <tr key={i}>
                <td>{r.external_userid}</td>
                <td>{r.errcode}</td>
                <td>{r.reason}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <WaitingTimeline />
      <TransferHistory />
    </section>
  );
}
