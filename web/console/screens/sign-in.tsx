import { useState } from 'preact/hooks';
import type { Api } from '../api.js';

export function SignIn({ api, onSignedIn }: { api: Api; onSignedIn(): void }) {
  const [token, setToken] = useState('');
  const [error, setError] = useState<string | null>(null);
  return (
    <main class="sign-in">
      <h1>handover console</h1>
      <form
        onSubmit={async (event) => {
          event.preventDefault();
          try {
            await api.signIn(token);
            onSignedIn();
          } catch (failure) {
            setError((failure as Error).message);
          }
        }}
      >
        <label for="admin-token">Admin token</label>
        <input id="admin-token" type="password" autocomplete="current-password" value={token} onInput={(e) => setToken((e.target as HTMLInputElement).value)} required />
        <button type="submit">Sign in</button>
        {error && (
          <p role="alert" class="error">
            {error}
          </p>
        )}
      </form>
      <p class="hint">The token is HANDOVER_ADMIN_TOKEN, printed by `handover serve` at start when you did not set one.</p>
    </main>
  );
}
