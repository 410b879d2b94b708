import type { ConsoleOverview } from '../../../src/wire/console.js';
import { duration, outcomeWord, when } from '../format.js';
import { serverNow, useLoad, useShell, useTick } from '../state.js';
import { Failure, Head } from '../widgets.js';

export function OverviewScreen() {
  const { api, corps, clock } = useShell();
  const { data, error } = useLoad(() => api.get<ConsoleOverview>('/admin/overview'), []);
  useTick(1000);
  return (
    <section aria-labelledby="overview-title">
      <h1 id="overview-title">Overview</h1>
      <Failure error={error} />
      {data && (
        <>
          <dl class="cards">
            <div>
              <dt>Corps</dt>
              <dd>{data.corps.toLocaleString()}</dd>
            </div>
            <div>
              <dt>Members</dt>
              <dd>{data.members.toLocaleString()}</dd>
            </div>
            <div>
              <dt>Customers</dt>
              <dd>{data.customers.toLocaleString()}</dd>
            </div>
          </dl>
          <h2>Server clock</h2>
          <p>
            {when(new Date(serverNow(clock)).toISOString())} — {data.clock.frozen ? 'frozen' : 'running'},{' '}
            {data.clock.offset_seconds === 0 ? 'on real time' : `${duration(data.clock.offset_seconds * 1000)} ${data.clock.offset_seconds > 0 ? 'ahead of' : 'behind'} real time`}
          </p>
          <div class="columns">
            <table>
              <caption>Transfers by kind and status</caption>
              <Head columns={['Kind', 'Status', 'Transfers']} />
              <tbody>
                {data.transfers.map(({ kind, outcome, count }) => (
                  <tr key={`${kind}-${outcome}`}>
                    <td>{kind}</td>
                    <td>{outcomeWord(outcome)}</td>
                    <td>{count}</td>
                  </tr>
                ))}
              </tbody>
            </table>
            <table>
              <caption>Callback deliveries by status</caption>
              <Head columns={['Status', 'Events']} />
              <tbody>
                {Object.entries(data.events).map(([status, count]) => (
                  <tr key={status}>
                    <td>{status}</td>
                    <td>{count}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          <h2>Corps</h2>
          <ul>
            {corps.map((corp) => (
              <li key={corp.corpid}>
                {corp.name} <code>{corp.corpid}</code> — apps {corp.apps.map((app) => app.agentid).join(', ') || 'none'}
              </li>
            ))}
          </ul>
        </>
      )}
    </section>
  );
}
