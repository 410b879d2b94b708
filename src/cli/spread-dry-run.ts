import type { WecomClient } from '../sdk/client.js';
import type { CliIo } from './io.js';
import { resultsOf, type SpreadPlan } from './spread-run.js';
import { Spreader } from './spread.js';

const sample = (list: string[]) => (list.length ? `: ${list.slice(0, 10).join(', ')}${list.length > 10 ? ', …' : ''}` : '');

/** What a spread or resigned run would do, from what WeCom lets one read: nothing is sent. */
export async function spreadDryRun(client: WecomClient, plan: SpreadPlan, ids: string[], io: CliIo): Promise<void> {
  const held = new Set<string>();
  if (plan.resigned) for await (const row of client.unassignedCustomers({ handover: plan.from })) held.add(row.external_userid);
  else for (const id of await client.listExternalContacts(plan.from)) held.add(id);
  const waiting = new Set<string>();
  for (const takeover of plan.takeovers) for await (const entry of resultsOf(client, plan, takeover)) if (entry.status === 2) waiting.add(entry.external_userid);
  const alreadyWaiting = ids.filter((id) => waiting.has(id));
  const notHeld = ids.filter((id) => !waiting.has(id) && !held.has(id));
  const sendable = ids.filter((id) => held.has(id) && !waiting.has(id));
  const hands = new Spreader(plan.takeovers).deal([...sendable], Number.POSITIVE_INFINITY);
  const share = plan.takeovers.map((t) => `${t} ${hands.find((h) => h.takeover === t)?.ids.length ?? 0}`).join(', ');
  const calls = hands.reduce((n, h) => n + Math.ceil(h.ids.length / 100), 0);
  const whose = plan.resigned ? `unassigned customers of resigned member ${plan.from}` : `customers of ${plan.from}`;
  io.out(
    [
      `dry run: ${ids.length} customers from ${plan.resigned ? 'resigned member ' : ''}${plan.from} to ${plan.takeovers.join(', ')}, nothing sent`,
      `  ${notHeld.length} are not ${whose} (would be 40131)${sample(notHeld)}`,
      `  ${alreadyWaiting.length} already wait for ${plan.takeovers.join(' or ')} (would be 40129)${sample(alreadyWaiting)}`,
      `  ${sendable.length} would be sent in ${calls} calls of at most 100${plan.takeovers.length > 1 ? `, round-robin: ${share}` : ''}`,
      `  ${plan.resigned ? '' : 'the 2-per-90-days quota (40128) and '}the takeover${plan.takeovers.length > 1 ? 's’ caps' : '’s cap'} (40099) cannot be read from WeCom: they show only when sending${plan.takeovers.length > 1 ? '; a takeover that answers 40099 gets no more customers and the rest go to the others' : ''}`,
      '',
    ].join('\n'),
  );
}
