import { HISTORY_KINDS, type HistoryKind, isGroupKind, transferOutcome } from '../domain/transfer-history.js';
import { mayNameARecord } from '../domain/lookup-key.js';
import type { TransferHistoryFilter } from '../store/store.js';
import type { ServiceContext } from './context.js';
import { AdminInputError } from './fixture-input.js';

export const HISTORY_DEFAULT_LIMIT = 100;
export const HISTORY_MAX_LIMIT = 1000;

type Query = { [name: string]: string | undefined };

function integerParam(query: Query, name: string, min: number, max: number, fallback: number): number {
  const raw = query[name];
  if (raw === undefined) return fallback;
  const value = Number(raw);
  if (!/^\d+$/.test(raw) || !Number.isSafeInteger(value) || value < min || value > max) throw new AdminInputError(name, `${name} must be an integer from ${min} to ${max}`);
  return value;
}

const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());

/**
 * `GET /admin/transfers` (behaviour §10.8): every accepted transfer with its id, kind and outcome, in id order,
 * paged by `after_id`. A filter value that can name no record (U+0000) matches nothing.
 */
export async function listTransferHistory(ctx: ServiceContext, query: Query) {
  const kind = query['kind'];
  if (kind !== undefined && !(HISTORY_KINDS as readonly string[]).includes(kind)) throw new AdminInputError('kind', `kind must be one of ${HISTORY_KINDS.join(', ')}`);
  const filter: TransferHistoryFilter = {
    afterId: integerParam(query, 'after_id', 0, Number.MAX_SAFE_INTEGER, 0),
    limit: integerParam(query, 'limit', 1, HISTORY_MAX_LIMIT, HISTORY_DEFAULT_LIMIT),
  };
  if (query['status'] !== undefined) filter.status = integerParam(query, 'status', 1, 4, 0);
  if (kind !== undefined) filter.kind = kind as HistoryKind;
  const text = { corpid: 'corpid', handover: 'handoverUserid', takeover: 'takeoverUserid', customer: 'subjectId', chat_id: 'subjectId' } as const;
  for (const [param, field] of Object.entries(text) as [keyof typeof text, (typeof text)[keyof typeof text]][]) {
    const value = query[param];
    if (value === undefined) continue;
    if (!mayNameARecord(value)) return { transfers: [] };
    filter[field] = value;
  }
  const records = await ctx.store.read((tx) => tx.listTransfers(filter));
  return {
    transfers: records.map((r) => ({
      id: r.id,
      kind: r.kind,
      corpid: r.corpid,
      ...(isGroupKind(r.kind) ? { chat_id: r.subjectId } : { external_userid: r.subjectId }),
      handover_userid: r.handoverUserid,
      takeover_userid: r.takeoverUserid,
      status: r.status,
      started_at: iso(r.startedAt),
      due_at: iso(r.dueAt),
      ended_at: iso(r.endedAt),
      outcome: transferOutcome(r.kind, r.status),
    })),
  };
}
