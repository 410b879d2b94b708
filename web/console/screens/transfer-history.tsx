import { useState } from 'preact/hooks';
import type { HistoryTransfer } from '../../../src/wire/console.js';
import { duration, outcomeWord, when } from '../format.js';
import { serverNow, useLoad, useShell, useTick } from '../state.js';
import { Failure, Head, Pager, useAction, usePages } from '../widgets.js';

type Filters = Record<'kind' | 'status' | 'handover' | 'takeover' | 'customer', string>;

function RefuseButton({ transfer }: { transfer: HistoryTransfer }) {
  const { api } = useShell();
  const action = useAction();
  if (transfer.outcome !== 'waiting' || !transfer.external_userid) return null;
  const id = transfer.external_userid;
  return (
    <>
      <button
        type="button"
        disabled={action.busy}
        onClick={() =>
          action.run(async () => {
            await api.send('POST', `/admin/customers/${encodeURIComponent(id)}/refuse`, undefined, { corpid: transfer.corpid });
            return `${id} refused the transfer.`;
          })
        }
      >
        Refuse transfer
      </button>
      <Failure error={action.error} />
    </>
  );
}

/** Waiting transfers with their takeover countdown on the server clock (behaviour §9.2: start + 24 h). */
export function WaitingTimeline() {
  const { api, corp, clock } = useShell();
  useTick(1000);
  const { data, error } = useLoad(
    () => (corp ? api.get<{ transfers: HistoryTransfer[] }>('/admin/transfers', { corpid: corp.corpid, status: 2, limit: 200 }) : Promise.resolve(undefined)),
    [corp?.corpid],
  );
  const now = serverNow(clock);
  const waiting = (data?.transfers ?? []).filter((t) => t.outcome === 'waiting' || t.outcome === 'in_progress');
  return (
    <section aria-labelledby="timeline-title">
      <h2 id="timeline-title">Waiting</h2>
      <Failure error={error} />
      {waiting.length === 0 ? (
        <p>Nothing is waiting.</p>
      ) : (
        <ol class="timeline">
          {waiting.map((t) => (
            <li key={t.id}>
              <strong>{t.external_userid ?? t.chat_id}</strong> {t.handover_userid} → {t.takeover_userid}: {outcomeWord(t.outcome)}, takes over{' '}
              {t.due_at ? `in ${duration(Math.max(0, Date.parse(t.due_at) - now))} (${when(t.due_at)})` : 'soon'} <RefuseButton transfer={t} />
            </li>
          ))}
        </ol>
      )}
    </section>
  );
}

/** Transfers in behaviour §10.8's shape, with `Refuse transfer` on a waiting customer transfer. */
export function TransferTable({ transfers, labelledBy }: { transfers: HistoryTransfer[]; labelledBy: string }) {
  return (
    <table class="wide" aria-labelledby={labelledBy}>
      <Head columns={['#', 'Kind', 'Customer or group', 'From', 'To', 'Status', 'Started', 'Due', 'Ended', 'Action']} />
      <tbody>
        {transfers.map((t) => (
          <tr key={t.id}>
            <td>{t.id}</td>
            <td>{t.kind}</td>
            <td>{t.external_userid ?? t.chat_id}</td>
            <td>{t.handover_userid}</td>
            <td>{t.takeover_userid}</td>
            <td>{outcomeWord(t.outcome)}</td>
            <td>{when(t.started_at)}</td>
            <td>{when(t.due_at)}</td>
            <td>{when(t.ended_at)}</td>
            <td>
              <RefuseButton transfer={t} />
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

export function TransferHistory() {
  const { api, corp } = useShell();
  const empty: Filters = { kind: '', status: '', handover: '', takeover: '', customer: '' };
  const [form, setForm] = useState<Filters>(empty);
  const [filters, setFilters] = useState<Filters>(empty);
  const pages = usePages();
  const { data, error } = useLoad(
    () =>
      corp ? api.get<{ transfers: HistoryTransfer[] }>('/admin/transfers', { corpid: corp.corpid, ...filters, after_id: pages.after, limit: 50 }) : Promise.resolve(undefined),
    [corp?.corpid, filters, pages.after],
  );
  const rows = data?.transfers ?? [];
  const text = (name: keyof Filters, label: string) => (
    <label>
      {label} <input value={form[name]} class="narrow" onInput={(e) => setForm({ ...form, [name]: (e.target as HTMLInputElement).value })} />
    </label>
  );
  return (
    <section aria-labelledby="history-title">
      <h2 id="history-title">History</h2>
      <form
        class="filters"
        aria-label="History filters"
        onSubmit={(event) => {
          event.preventDefault();
          pages.reset();
          setFilters(form);
        }}
      >
        <label>
          Kind{' '}
          <select value={form.kind} onChange={(e) => setForm({ ...form, kind: (e.target as HTMLSelectElement).value })}>
            <option value="">any</option>
            <option value="onjob">in-service</option>
            <option value="resigned">resigned</option>
            <option value="groupchat_onjob">group, in-service</option>
            <option value="groupchat_resigned">group, resigned</option>
          </select>
        </label>
        <label>
          Status{' '}
          <select value={form.status} onChange={(e) => setForm({ ...form, status: (e.target as HTMLSelectElement).value })}>
            <option value="">any</option>
            <option value="1">taken over / done</option>
            <option value="2">waiting / in progress</option>
            <option value="3">refused</option>
            <option value="4">takeover full</option>
          </select>
        </label>
        {text('handover', 'Handover')}
        {text('takeover', 'Takeover')}
        {text('customer', 'Customer id')}
        <button type="submit">Filter</button>
      </form>
      <Failure error={error} />
      <TransferTable transfers={rows} labelledBy="history-title" />
      <Pager label="History" pages={pages} next={rows.length === 50 ? String(rows[rows.length - 1]!.id) : null} />
    </section>
  );
}
