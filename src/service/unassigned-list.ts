import { toUnixSeconds } from '../domain/calendar.js';
import type { UnassignedCustomer } from '../domain/resigned-members.js';
import { optionalString, requireBodyObject } from '../domain/request-fields.js';
import type { App } from '../domain/types.js';
import { WecomError, wecomError } from '../domain/wecom-error.js';
import type { ServiceContext } from './context.js';
import { decodeCursor, encodeCursor } from './cursor.js';

/** Behaviour §10.2: page_size defaults to and is clamped at 1000; page_id × page_size must stay below 50000. */
export const UNASSIGNED_MAX_PAGE_SIZE = 1000;
export const UNASSIGNED_MAX_OFFSET = 50_000;

export interface UnassignedPage {
  info: { handover_userid: string; external_userid: string; dimission_time: number }[];
  is_last: boolean;
  next_cursor?: string;
}

function integerField(fields: Record<string, unknown>, name: string): number | undefined {
  const value = fields[name];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'number' || !Number.isSafeInteger(value)) throw new WecomError('INVALID_ARGUMENT', { detail: `${name} must be an integer`, wrongJsonFormat: true });
  return value;
}

function cursorRow(cursor: string): UnassignedCustomer {
  const value = decodeCursor(cursor, 'un');
  if (!Array.isArray(value) || typeof value[0] !== 'number' || typeof value[1] !== 'string' || typeof value[2] !== 'string') throw wecomError('INVALID_PARAMETER', 'cursor');
  return { dimissionTime: value[0], handoverUserid: value[1], externalUserid: value[2] };
}

/**
 * `get_unassigned_list` (behaviour §10.2): the customers resigned members hold with no waiting transfer, by
 * cursor or, when no cursor is sent, by the legacy 0-based `page_id` (then no `next_cursor` in the answer).
 */
export async function unassignedList(ctx: ServiceContext, app: App, body: unknown): Promise<UnassignedPage> {
  const fields = body === undefined ? {} : requireBodyObject(body);
  const cursor = optionalString(fields, 'cursor');
  const pageSize = integerField(fields, 'page_size') ?? UNASSIGNED_MAX_PAGE_SIZE;
  if (pageSize < 1) throw wecomError('INVALID_ARGUMENT', 'page_size must be at least 1');
  const size = Math.min(pageSize, UNASSIGNED_MAX_PAGE_SIZE);
  const pageId = cursor === undefined ? integerField(fields, 'page_id') : undefined;
  if (pageId !== undefined && (pageId < 0 || pageId * size >= UNASSIGNED_MAX_OFFSET)) {
    throw wecomError('INVALID_ARGUMENT', `page_id × page_size must be from 0 to ${UNASSIGNED_MAX_OFFSET - 1}`);
  }
  const from = pageId !== undefined ? { offset: pageId * size } : { after: cursor ? cursorRow(cursor) : null };
  const rows = await ctx.store.read((tx) => tx.unassignedCustomers(app.corpid, from, size + 1));
  const page = rows.slice(0, size);
  const isLast = rows.length <= size;
  const last = page[page.length - 1];
  return {
    info: page.map((r) => ({ handover_userid: r.handoverUserid, external_userid: r.externalUserid, dimission_time: toUnixSeconds(r.dimissionTime) })),
    is_last: isLast,
    ...(pageId !== undefined ? {} : { next_cursor: isLast || !last ? '' : encodeCursor('un', [last.dimissionTime, last.handoverUserid, last.externalUserid]) }),
  };
}
