import { useState } from 'preact/hooks';
import { useShell } from '../state.js';
import { Failure, useAction } from '../widgets.js';

/** Import a fixture file, export the current state as one, or reset everything (after a confirmation). */
export function DataScreen() {
  const { api } = useShell();
  const [file, setFile] = useState<File | null>(null);
  const [confirming, setConfirming] = useState(false);
  const [download, setDownload] = useState<string | null>(null);
  const action = useAction();
  return (
    <section aria-labelledby="data-title">
      <h1 id="data-title">Company data</h1>
      <Failure error={action.error} />
      <form
        aria-labelledby="import-title"
        onSubmit={(event) => {
          event.preventDefault();
          void action.run(async () => {
            if (!file) throw new Error('choose a fixture file first');
            const answer = await api.send<{ corps: number; customers: number }>('POST', '/admin/fixtures', await file.text());
            return `Imported ${answer.corps} corps with ${answer.customers} customers.`;
          });
        }}
      >
        <h2 id="import-title">Import</h2>
        <p class="hint">Every corp in the file replaces the corp of the same corpid (with its transfers, messages and events); other corps stay.</p>
        <label>
          Fixture file <input type="file" accept=".json,application/json" onChange={(e) => setFile((e.target as HTMLInputElement).files?.[0] ?? null)} />
        </label>
        <button type="submit" disabled={action.busy}>
          Import
        </button>
      </form>
      <h2>Export</h2>
      <button
        type="button"
        disabled={action.busy}
        onClick={() =>
          action.run(async () => {
            const fixture = await api.get<{ corps: unknown[] }>('/admin/fixtures');
            if (download) URL.revokeObjectURL(download);
            setDownload(URL.createObjectURL(new Blob([JSON.stringify(fixture, null, 2)], { type: 'application/json' })));
            return `Exported ${fixture.corps.length} corps.`;
          })
        }
      >
        Export
      </button>{' '}
      {download && (
        <a href={download} download="handover-fixture.json">
          Download handover-fixture.json
        </a>
      )}
      <h2>Reset</h2>
      {!confirming ? (
        <button type="button" onClick={() => setConfirming(true)}>
          Reset everything…
        </button>
      ) : (
        <div role="alertdialog" aria-labelledby="reset-question" class="confirm">
          <p id="reset-question">Delete every corp, member, customer, transfer and event, and put the clock back on real time?</p>
          <button
            type="button"
            disabled={action.busy}
            onClick={() =>
              action.run(async () => {
                await api.send('POST', '/admin/reset');
                setConfirming(false);
                return 'Everything was reset.';
              })
            }
          >
            Yes, reset everything
          </button>{' '}
          <button type="button" onClick={() => setConfirming(false)}>
            Cancel
          </button>
        </div>
      )}
    </section>
  );
}
