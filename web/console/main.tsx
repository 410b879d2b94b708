import { render } from 'preact';
import { useEffect, useMemo, useState } from 'preact/hooks';
import type { ConsoleCorp, ConsoleOverview } from '../../src/wire/console.js';
import { Api } from './api.js';
import { ClockScreen } from './screens/clock.js';
import { CustomersScreen } from './screens/customers.js';
import { DataScreen } from './screens/data.js';
import { EventsScreen } from './screens/events.js';
import { MembersScreen } from './screens/members.js';
import { OverviewScreen } from './screens/overview.js';
import { SignIn } from './screens/sign-in.js';
import { TransfersScreen } from './screens/transfers.js';
import { type ClockView, type Shell, ShellContext } from './state.js';
import { Link } from './widgets.js';

const CORP_KEY = 'handover-console-corp';

const SCREENS: [string, string][] = [
  ['/console', 'Overview'],
  ['/console/members', 'Members'],
  ['/console/customers', 'Customers'],
  ['/console/transfers', 'Transfers'],
  ['/console/events', 'Events'],
  ['/console/clock', 'Clock'],
  ['/console/data', 'Company data'],
];

function Screen({ path }: { path: string }) {
  if (path.startsWith('/console/members')) return <MembersScreen />;
  if (path.startsWith('/console/customers')) return <CustomersScreen selected={decodeURIComponent(path.split('/')[3] ?? '')} />;
  if (path.startsWith('/console/transfers')) return <TransfersScreen />;
  if (path.startsWith('/console/events')) return <EventsScreen />;
  if (path.startsWith('/console/clock')) return <ClockScreen />;
  if (path.startsWith('/console/data')) return <DataScreen />;
  return <OverviewScreen />;
}

function App() {
  const [signedIn, setSignedIn] = useState<boolean | null>(null);
  const api = useMemo(() => new Api(() => setSignedIn(false)), []);
  const [path, setPath] = useState(location.pathname);
  const [version, setVersion] = useState(0);
  const [corps, setCorps] = useState<ConsoleCorp[]>([]);
  // The chosen company survives reloads and deep links (one browser, one choice).
  const [corpid, setCorpid] = useState(localStorage.getItem(CORP_KEY) ?? '');
  const [clock, setClock] = useState<ClockView | null>(null);
  const [message, setMessage] = useState('');
  const [selection, setSelection] = useState<string[]>([]);

  useEffect(() => {
    api.restore().then(setSignedIn, () => setSignedIn(false));
    const onPop = () => setPath(location.pathname);
    addEventListener('popstate', onPop);
    return () => removeEventListener('popstate', onPop);
  }, []);

  // One stream for the whole console: every change anywhere reloads what is on screen.
  useEffect(() => {
    if (!signedIn) return;
    const stream = new EventSource('/admin/stream');
    stream.addEventListener('change', (event) => setVersion(JSON.parse((event as MessageEvent<string>).data).version as number));
    return () => stream.close();
  }, [signedIn]);

  useEffect(() => {
    if (!signedIn) return;
    api.get<{ corps: ConsoleCorp[] }>('/admin/corps').then((answer) => setCorps(answer.corps), () => undefined);
    const fetchedAt = Date.now();
    api.get<ConsoleOverview>('/admin/overview').then(
      (o) => setClock({ now: Date.parse(o.clock.now), frozen: o.clock.frozen, offsetSeconds: o.clock.offset_seconds, fetchedAt }),
      () => undefined,
    );
  }, [signedIn, version]);

  const corp = corps.find((c) => c.corpid === corpid) ?? corps[0] ?? null;
  const navigate = (to: string) => {
    history.pushState(null, '', to);
    setPath(to);
    setMessage('');
  };
  const screenName = SCREENS.find(([href]) => href === path)?.[1];
  useEffect(() => {
    document.title = `${screenName ?? 'Console'} · handover`;
  }, [screenName]);

  if (signedIn === null) return <p>Loading…</p>;
  if (!signedIn) return <SignIn api={api} onSignedIn={() => setSignedIn(true)} />;

  const shell: Shell = { api, corps, corp, version, clock, navigate, announce: setMessage, selection, setSelection };
  return (
    <ShellContext.Provider value={shell}>
      <header class="top">
        <span class="brand">handover console</span>
        <nav aria-label="Main">
          <ul>
            {SCREENS.map(([href, label]) => (
              <li key={href}>
                <Link href={href}>{label}</Link>
              </li>
            ))}
          </ul>
        </nav>
        <label class="corp">
          Company{' '}
          <select value={corp?.corpid ?? ''} onChange={(event) => {
              const chosen = (event.target as HTMLSelectElement).value;
              localStorage.setItem(CORP_KEY, chosen);
              setCorpid(chosen);
            }}>
            {corps.map((c) => (
              <option key={c.corpid} value={c.corpid}>
                {c.name} ({c.corpid})
              </option>
            ))}
          </select>
        </label>
        <button type="button" onClick={() => api.signOut().then(() => setSignedIn(false))}>
          Sign out
        </button>
      </header>
      <p class="status" role="status" aria-live="polite">
        {message}
      </p>
      <main>
        <Screen path={path} />
      </main>
    </ShellContext.Provider>
  );
}

render(<App />, document.getElementById('app')!);
