import { useState } from 'preact/hooks';
import type { ConsoleApp } from '../../../src/wire/console.js';
import { useShell } from '../state.js';
import { Failure, useAction } from '../widgets.js';

function AppCallback({ corpid, app }: { corpid: string; app: ConsoleApp }) {
  const { api } = useShell();
  const [url, setUrl] = useState(app.callback?.url ?? '');
  const [token, setToken] = useState(app.callback?.token ?? '');
  const [key, setKey] = useState(app.callback?.encoding_aes_key ?? '');
  const action = useAction();
  const id = `app-${app.agentid}`;
  return (
    <form
      class="callback"
      aria-labelledby={`${id}-title`}
      onSubmit={(event) => {
        event.preventDefault();
        void action.run(async () => {
          await api.send('PUT', `/admin/apps/${app.agentid}/callback`, url ? { url, token, encoding_aes_key: key } : null, { corpid });
          return `Callback of app ${app.agentid} saved.`;
        });
      }}
    >
      <h3 id={`${id}-title`}>
        App {app.agentid} ({app.kind.replace('_', '-')})
      </h3>
      <label>
        Callback URL <input type="url" value={url} onInput={(e) => setUrl((e.target as HTMLInputElement).value)} />
      </label>
      <label>
        Token <input value={token} onInput={(e) => setToken((e.target as HTMLInputElement).value)} />
      </label>
      <label>
        EncodingAESKey <input value={key} size={46} onInput={(e) => setKey((e.target as HTMLInputElement).value)} />
      </label>
      <button type="submit" disabled={action.busy}>
        Save callback
      </button>
      <Failure error={action.error} />
    </form>
  );
}

/** Per-app callback settings (PUT /admin/apps/{agentid}/callback verifies the URL first, as WeCom does). */
export function CallbackSettings() {
  const { corp } = useShell();
  if (!corp) return null;
  return (
    <section aria-labelledby="callbacks-title">
      <h2 id="callbacks-title">Callback settings</h2>
      {corp.apps.map((app) => (
        <AppCallback key={`${corp.corpid}-${app.agentid}`} corpid={corp.corpid} app={app} />
      ))}
    </section>
  );
}
