import { useState } from 'preact/hooks';
import type { OutboxEvent } from '../../../src/wire/admin.js';
import type { ConsoleEvent } from '../../../src/wire/console.js';
import { when } from '../format.js';
import { useLoad, useShell } from '../state.js';
import { Failure, Head, Pager, useAction, usePages } from '../widgets.js';
import { CallbackSettings } from './callback-settings.js';

/** One element per line: the XML is flat (one level under <xml>). */
function indent(xml: string): string {
  return xml.replace(/^<xml>/, '<xml>\n  ').replace(/(<\/[A-Za-z]+>)(?=<[A-Za-z])/g, '$1\n  ').replace(/<\/xml>$/, '\n</xml>');
}

function EventXml({ id }: { id: number }) {
  const { api } = useShell();
  const [xml, setXml] = useState<string | null>(null);
  return (
    <details onToggle={(e) => (e.target as HTMLDetailsElement).open && xml === null && api.get<ConsoleEvent>(`/admin/events/${id}`).then((d) => setXml(indent(d.xml)))}>
      <summary>Decrypted XML</summary>
      <pre>{xml ?? 'Loading…'}</pre>
    </details>
  );
}

export function EventsScreen() {
  const { api, corp } = useShell();
  const [status, setStatus] = useState('');
  const pages = usePages();
  const { data, error } = useLoad(
    () => (corp ? api.get<{ events: OutboxEvent[] }>('/admin/events', { corpid: corp.corpid, status, after_id: pages.after, limit: 50 }) : Promise.resolve(undefined)),
    [corp?.corpid, status, pages.after],
  );
  const action = useAction();
  const events = data?.events ?? [];
  return (
    <section aria-labelledby="events-title">
      <h1 id="events-title">Events</h1>
      <label>
        Status{' '}
        <select
          value={status}
          onChange={(e) => {
            pages.reset();
            setStatus((e.target as HTMLSelectElement).value);
          }}
        >
          <option value="">any</option>
          <option>pending</option>
          <option>delivered</option>
          <option>dead</option>
          <option>undeliverable</option>
        </select>
      </label>
      <Failure error={error ?? action.error} />
      <table class="wide" aria-label="Callback outbox">
        <Head columns={['#', 'App', 'Event', 'Member', 'Customer', 'Status', 'Attempts', 'Last error', 'Created', 'Details']} />
        <tbody>
          {events.map((event) => (
            <tr key={event.id}>
              <td>{event.id}</td>
              <td>{event.agentid ?? '—'}</td>
              <td>
                {event.type}
                {event.payload['FailReason'] ? ` (${event.payload['FailReason']})` : ''}
              </td>
              <td>{event.payload['UserID']}</td>
              <td>{event.payload['ExternalUserID']}</td>
              <td>{event.status}</td>
              <td>{event.attempts}</td>
              <td class="clip">{event.last_error ?? ''}</td>
              <td>{when(event.created_at)}</td>
              <td>
                <EventXml id={event.id} />
                {(event.status === 'dead' || event.status === 'delivered') && (
                  <button
                    type="button"
                    disabled={action.busy}
                    onClick={() =>
                      action.run(async () => {
                        await api.send('POST', `/admin/events/${event.id}/redeliver`);
                        return `Event ${event.id} queued for delivery again.`;
                      })
                    }
                  >
                    Redeliver
                  </button>
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      {data && events.length === 0 && <p>No events.</p>}
      <Pager label="Events" pages={pages} next={events.length === 50 ? String(events[events.length - 1]!.id) : null} />
      <CallbackSettings />
    </section>
  );
}
