import { useState } from 'preact/hooks';
import type { HistoryTransfer } from '../../../src/wire/console.js';
import { duration, outcomeWord, when } from '../format.js';
import { serverNow, useShell, useTick } from '../state.js';
import { Failure, useAction } from '../widgets.js';

interface ClockAnswer {
  now: string;
  frozen: boolean;
  completed_takeovers: number;
}

const HOUR = 3600;
const UNITS: Record<string, number> = { minutes: 60, hours: HOUR, days: 24 * HOUR };

export function ClockScreen() {
  const { api, corp, clock } = useShell();
  useTick(1000);
  const action = useAction();
  const [amount, setAmount] = useState('2');
  const [unit, setUnit] = useState('hours');
  const [setTo, setSetTo] = useState('');
  const [outcome, setOutcome] = useState<{ said: string; completed: string[] } | null>(null);

  /** The waiting transfers before and after the command tell what the move completed. */
  const command = (body: Record<string, unknown>, said: string) =>
    action.run(async () => {
      const waiting = async () =>
        corp ? (await api.get<{ transfers: HistoryTransfer[] }>('/admin/transfers', { corpid: corp.corpid, status: 2, limit: 1000 }).catch(() => ({ transfers: [] }))).transfers : [];
      const before = await waiting();
      const answer = await api.send<ClockAnswer>('POST', '/admin/clock', body);
      const still = new Set((await waiting()).map((t) => t.id));
      const ended = before.filter((t) => !still.has(t.id));
      // Their outcomes, from the history page that starts at the oldest of them.
      const after =
        corp && ended.length > 0
          ? (await api.get<{ transfers: HistoryTransfer[] }>('/admin/transfers', { corpid: corp.corpid, after_id: ended[0]!.id - 1, limit: 1000 })).transfers
          : [];
      const outcomes = new Map(after.map((t) => [t.id, outcomeWord(t.outcome)]));
      const completed = ended.map((t) => `${t.external_userid ?? t.chat_id} (${t.handover_userid} → ${t.takeover_userid}): ${outcomes.get(t.id) ?? 'ended'}`);
      const text = `${said}: now ${when(answer.now)}; ${answer.completed_takeovers} takeover${answer.completed_takeovers === 1 ? '' : 's'} completed.`;
      setOutcome({ said: text, completed });
      return text;
    });

  const now = serverNow(clock);
  return (
    <section aria-labelledby="clock-title">
      <h1 id="clock-title">Clock</h1>
      <p class="big">{when(new Date(now).toISOString())}</p>
      <p>
        {clock?.frozen ? 'Frozen' : 'Running'};{' '}
        {clock && clock.offsetSeconds !== 0 ? `${duration(Math.abs(clock.offsetSeconds) * 1000)} ${clock.offsetSeconds > 0 ? 'ahead of' : 'behind'} real time` : 'on real time'}.
      </p>
      <div class="buttons">
        <button type="button" disabled={action.busy} onClick={() => command({ advance_seconds: HOUR }, 'Advanced 1 hour')}>
          Advance 1 hour
        </button>
        <button type="button" disabled={action.busy} onClick={() => command({ advance_seconds: 24 * HOUR }, 'Advanced 24 hours')}>
          Advance 24 hours
        </button>
        <button type="button" disabled={action.busy} onClick={() => command({ advance_seconds: 90 * 24 * HOUR }, 'Advanced 90 days')}>
          Advance 90 days
        </button>
        <button type="button" disabled={action.busy} onClick={() => command({ freeze: !clock?.frozen }, clock?.frozen ? 'Unfrozen' : 'Frozen')}>
          {clock?.frozen ? 'Unfreeze' : 'Freeze'}
        </button>
      </div>
      <form
        class="filters"
        aria-label="Advance by"
        onSubmit={(event) => {
          event.preventDefault();
          void command({ advance_seconds: Number(amount) * UNITS[unit]! }, `Advanced ${amount} ${unit}`);
        }}
      >
        <label>
          Amount <input type="number" min={0} step="any" class="narrow" value={amount} onInput={(e) => setAmount((e.target as HTMLInputElement).value)} />
        </label>
        <label>
          Unit{' '}
          <select value={unit} onChange={(e) => setUnit((e.target as HTMLSelectElement).value)}>
            {Object.keys(UNITS).map((u) => (
              <option key={u}>{u}</option>
            ))}
          </select>
        </label>
        <button type="submit" disabled={action.busy}>
          Advance
        </button>
      </form>
      <form
        class="filters"
        aria-label="Set the clock"
        onSubmit={(event) => {
          event.preventDefault();
          void command({ set: `${setTo}:00Z` }, 'Set');
        }}
      >
        <label>
          Set to (UTC) <input type="datetime-local" value={setTo} onInput={(e) => setSetTo((e.target as HTMLInputElement).value)} required />
        </label>
        <button type="submit" disabled={action.busy}>
          Set clock
        </button>
      </form>
      <Failure error={action.error} />
      {outcome && (
        <section aria-labelledby="completed-title">
          <h2 id="completed-title">What completed</h2>
          <p>{outcome.said}</p>
          {outcome.completed.length > 0 && (
            <ul>
              {outcome.completed.map((line) => (
                <li key={line}>{line}</li>
              ))}
            </ul>
          )}
        </section>
      )}
    </section>
  );
}
