import { useEffect, useState } from 'preact/hooks';
import type { ConsoleCustomer } from '../../../src/wire/console.js';
import { when } from '../format.js';
import { useLoad, useShell } from '../state.js';
import { Failure, Head, Link, Pager, usePages } from '../widgets.js';
import { CustomerDetail } from './customer-detail.js';

interface Search {
  q: string;
  member: string;
  tag: string;
}

export function CustomersScreen({ selected }: { selected: string }) {
  const { api, corp, navigate, selection, setSelection } = useShell();
  const [form, setForm] = useState<Search>({ q: '', member: '', tag: '' });
  const [search, setSearch] = useState<Search>(form);
  const pages = usePages();
  useEffect(() => pages.reset(), [corp?.corpid, search]);
  const { data, error } = useLoad(
    () =>
      corp
        ? api.get<{ customers: ConsoleCustomer[]; next: string | null }>('/admin/customers', { corpid: corp.corpid, ...search, after: pages.after, limit: 50 })
        : Promise.resolve(undefined),
    [corp?.corpid, search, pages.after],
  );
  const field = (name: keyof Search, label: string) => (
    <label>
      {label} <input type="search" value={form[name]} onInput={(e) => setForm({ ...form, [name]: (e.target as HTMLInputElement).value })} />
    </label>
  );
  const picked = new Set(selection);
  const toggle = (id: string, on: boolean) => setSelection(on ? [...selection, id] : selection.filter((s) => s !== id));
  if (selected && corp) return <CustomerDetail corpid={corp.corpid} externalUserid={selected} />;
  return (
    <section aria-labelledby="customers-title">
      <h1 id="customers-title">Customers</h1>
      <form
        role="search"
        class="filters"
        onSubmit={(event) => {
          event.preventDefault();
          setSearch(form);
        }}
      >
        {field('q', 'Id or name')}
        {field('member', 'Member')}
        {field('tag', 'Tag')}
        <button type="submit">Search</button>
      </form>
      <p>
        {selection.length} selected{' '}
        <button type="button" disabled={selection.length === 0} onClick={() => navigate('/console/transfers')}>
          Transfer selected
        </button>{' '}
        <button type="button" disabled={selection.length === 0} onClick={() => setSelection([])}>
          Clear selection
        </button>
      </p>
      <Failure error={error} />
      <table class="wide">
        <Head columns={['Select', 'Customer', 'Name', 'Company', 'Followers', 'Transfer']} />
        <tbody>
          {data?.customers.map((c) => (
            <tr key={c.external_userid}>
              <td>
                <input
                  type="checkbox"
                  aria-label={`Select ${c.name}`}
                  checked={picked.has(c.external_userid)}
                  onChange={(e) => toggle(c.external_userid, (e.target as HTMLInputElement).checked)}
                />
              </td>
              <td>
                <Link href={`/console/customers/${encodeURIComponent(c.external_userid)}`}>{c.external_userid}</Link>
              </td>
              <td>{c.name}</td>
              <td>{c.corp_name ?? ''}</td>
              <td>{c.followers.join(', ')}</td>
              <td>{c.waiting ? `waiting (${c.waiting.handover_userid} → ${c.waiting.takeover_userid}, due ${when(c.waiting.due_at)})` : ''}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {data && data.customers.length === 0 && <p>No customer matches.</p>}
      <Pager label="Customers" pages={pages} next={data?.next} />
    </section>
  );
}
