import { useEffect, useState } from 'preact/hooks';
import type { ConsoleMember } from '../../../src/wire/console.js';
import { when } from '../format.js';
import { serverNow, useLoad, useShell } from '../state.js';
import { Failure, Pager, useAction, usePages } from '../widgets.js';

type Flag = 'activated' | 'real_name_verified' | 'customer_contact_enabled';
const FLAGS: [Flag, string][] = [
  ['activated', 'Activated'],
  ['real_name_verified', 'Real-name verified'],
  ['customer_contact_enabled', 'Customer contact'],
];

export function MembersScreen() {
  const { api, corp, clock } = useShell();
  const pages = usePages();
  useEffect(() => pages.reset(), [corp?.corpid]);
  const { data, error } = useLoad(
    () => (corp ? api.get<{ members: ConsoleMember[]; next: string | null }>('/admin/members', { corpid: corp.corpid, after: pages.after, limit: 50 }) : Promise.resolve(undefined)),
    [corp?.corpid, pages.after],
  );
  const action = useAction();
  // A flag shows its new value at once (the checkbox must not spring back while the PATCH and the reload run).
  const [pending, setPending] = useState<Record<string, boolean>>({});
  useEffect(() => setPending({}), [data]);
  const patch = (member: ConsoleMember, body: Record<string, unknown>) =>
    action.run(async () => {
      await api.send('PATCH', `/admin/members/${encodeURIComponent(member.userid)}`, body, { corpid: member.corpid });
      return `Saved ${member.name} (${member.userid}).`;
    });
  return (
    <section aria-labelledby="members-title">
      <h1 id="members-title">Members</h1>
      <Failure error={error ?? action.error} />
      <table class="wide">
        <thead>
          <tr>
            <th scope="col">Member</th>
            {FLAGS.map(([, label]) => (
              <th scope="col" key={label}>
                {label}
              </th>
            ))}
            <th scope="col">Last login</th>
            <th scope="col">Resigned</th>
            <th scope="col">Customers</th>
            <th scope="col">Waiting in</th>
            <th scope="col">Waiting out</th>
            <th scope="col">Cap</th>
            <th scope="col">Actions</th>
          </tr>
        </thead>
        <tbody>
          {data?.members.map((member) => (
            <tr key={member.userid}>
              <th scope="row">
                {member.name} <code>{member.userid}</code>
              </th>
              {FLAGS.map(([flag, label]) => (
                <td key={flag}>
                  <input
                    type="checkbox"
                    aria-label={`${label}: ${member.name}`}
                    checked={pending[`${member.userid}:${flag}`] ?? member[flag] ?? true}
                    onChange={(event) => {
                      const checked = (event.target as HTMLInputElement).checked;
                      setPending({ ...pending, [`${member.userid}:${flag}`]: checked });
                      void patch(member, { [flag]: checked });
                    }}
                  />
                </td>
              ))}
              <td>{when(member.last_login_at)}</td>
              <td>{member.dimission_time != null ? `resigned ${when(new Date(member.dimission_time * 1000).toISOString())}` : 'no'}</td>
              <td>{member.customers}</td>
              <td>{member.waiting_incoming}</td>
              <td>{member.waiting_outgoing}</td>
              <td>
                <input
                  type="number"
                  min={0}
                  class="narrow"
                  aria-label={`Customer cap: ${member.name}`}
                  value={member.customer_cap ?? 5000}
                  onChange={(event) => patch(member, { customer_cap: Number((event.target as HTMLInputElement).value) })}
                />
              </td>
              <td>
                <button type="button" disabled={action.busy} onClick={() => patch(member, { last_login_at: new Date(serverNow(clock)).toISOString() })}>
                  Log in now
                </button>{' '}
                <button
                  type="button"
                  disabled={action.busy || member.dimission_time != null}
                  onClick={() =>
                    action.run(async () => {
                      await api.send('POST', `/admin/members/${encodeURIComponent(member.userid)}/resign`, {}, { corpid: member.corpid });
                      return `${member.name} resigned.`;
                    })
                  }
                >
                  Resign
                </button>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <Pager label="Members" pages={pages} next={data?.next} />
    </section>
  );
}
