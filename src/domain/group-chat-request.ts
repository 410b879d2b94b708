import { GROUP_CHAT_STATUSES, type GroupChatStatus } from './group-chat.js';
import { isStringArray, optionalString, requireBodyObject } from './request-fields.js';
import { WecomError } from './wecom-error.js';

/** `groupchat/list` pages hold 1–1000 groups; `limit` is required (behaviour §10.6). */
export const MAX_GROUP_CHAT_PAGE = 1000;

export interface GroupChatListQuery {
  /** null = every group (status_filter 0 or absent). */
  status: GroupChatStatus | null;
  /** null = every owner (owner_filter absent or an empty userid_list). */
  owners: string[] | null;
  cursor: string | null;
  limit: number;
}

function invalid(detail: string, wrongJsonFormat = false): WecomError {
  return new WecomError('INVALID_ARGUMENT', { detail, wrongJsonFormat });
}

/** Behaviour §10.6: status_filter 0–3, owner_filter.userid_list, cursor, limit 1–1000 (missing or out of range → 40058). */
export function parseGroupChatListQuery(body: unknown): GroupChatListQuery {
  const fields = requireBodyObject(body);
  const filter = fields['status_filter'] ?? 0;
  if (typeof filter !== 'number' || !(GROUP_CHAT_STATUSES as readonly number[]).includes(filter)) throw invalid('status_filter must be 0, 1, 2 or 3', typeof filter !== 'number');
  const ownerFilter = fields['owner_filter'];
  let owners: string[] | null = null;
  if (ownerFilter !== undefined && ownerFilter !== null) {
    if (typeof ownerFilter !== 'object' || Array.isArray(ownerFilter)) throw invalid('owner_filter must be an object', true);
    const list = (ownerFilter as Record<string, unknown>)['userid_list'];
    if (list !== undefined && list !== null && !isStringArray(list)) throw invalid('owner_filter.userid_list must be an array of strings', true);
    owners = list && list.length > 0 ? [...new Set(list)] : null;
  }
  const limit = fields['limit'];
  if (typeof limit !== 'number' || !Number.isInteger(limit) || limit < 1 || limit > MAX_GROUP_CHAT_PAGE) {
    throw invalid(`limit must be an integer from 1 to ${MAX_GROUP_CHAT_PAGE}`, limit !== undefined && typeof limit !== 'number');
  }
  const cursor = optionalString(fields, 'cursor');
  return { status: filter === 0 ? null : (filter as GroupChatStatus), owners, cursor: cursor || null, limit };
}

export interface GroupChatGetQuery {
  chatId: string;
  needName: boolean;
}

/** Behaviour §10.6: `chat_id` required (missing or empty → 40058), `need_name` 0 or 1. */
export function parseGroupChatGetQuery(body: unknown): GroupChatGetQuery {
  const fields = requireBodyObject(body);
  const chatId = fields['chat_id'];
  if (typeof chatId !== 'string' || chatId === '') throw invalid('chat_id must be a non-empty string', chatId !== undefined && chatId !== null && typeof chatId !== 'string');
  const needName = fields['need_name'] ?? 0;
  if (needName !== 0 && needName !== 1) throw invalid('need_name must be 0 or 1', typeof needName !== 'number');
  return { chatId, needName: needName === 1 };
}
