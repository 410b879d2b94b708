import { MAX_EXTERNAL_USERIDS_PER_CALL, MAX_TRANSFER_MESSAGE_CHARS } from '../wire/transfer-customer.js';
import { WecomError } from './wecom-error.js';

/** A `transfer_customer` body after the checks of spec §9.1 step 4. */
export interface TransferCommand {
  handoverUserid: string;
  takeoverUserid: string;
  /** In request order, duplicates kept: each gets its own result entry (spec §9.1.7). */
  externalUserids: string[];
  /** null = use the configured default template (spec §9.2). */
  message: string | null;
}

/**
 * Reads one required userid field. A value of the wrong JSON type is what WeCom parses only partly: it
 * counts as missing and the errmsg carries "Warning: wrong json format." (spec §1.1).
 */
function requireUserid(body: Record<string, unknown>, field: string): string {
  const value = body[field];
  if (typeof value === 'string' && value !== '') return value;
  const wrongType = value !== undefined && value !== null && typeof value !== 'string';
  throw new WecomError('USERID_MISSING', { detail: field, wrongJsonFormat: wrongType });
}

function isStringArray(value: unknown): value is string[] {
  return Array.isArray(value) && value.every((item) => typeof item === 'string');
}

/** Code points, not UTF-16 units: "200 characters" of Chinese text with emoji must count each as one. */
export function characterCount(text: string): number {
  let count = 0;
  for (const _ of text) count++;
  return count;
}

/** Spec §9.1 step 4, in that order. `body` is already-parsed JSON; step 3 (unparsable) is the caller's. */
export function parseTransferCommand(body: unknown): TransferCommand {
  if (body === null || typeof body !== 'object' || Array.isArray(body)) {
    throw new WecomError('INVALID_ARGUMENT', { detail: 'body must be a JSON object', wrongJsonFormat: true });
  }
  const fields = body as Record<string, unknown>;
  const handoverUserid = requireUserid(fields, 'handover_userid');
  const takeoverUserid = requireUserid(fields, 'takeover_userid');

  const ids = fields['external_userid'];
  if (!isStringArray(ids) || ids.length === 0) {
    throw new WecomError('EXTERNAL_USERID_MISSING', { wrongJsonFormat: ids !== undefined && !Array.isArray(ids) });
  }
  if (ids.length > MAX_EXTERNAL_USERIDS_PER_CALL) {
    throw new WecomError('INVALID_ARGUMENT', {
      detail: `external_userid has ${ids.length} elements, at most ${MAX_EXTERNAL_USERIDS_PER_CALL} allowed`,
    });
  }

  const rawMessage = fields['transfer_success_msg'];
  let message: string | null = null;
  if (rawMessage !== undefined && rawMessage !== null) {
    if (typeof rawMessage !== 'string') {
      throw new WecomError('INVALID_ARGUMENT', { detail: 'transfer_success_msg must be a string', wrongJsonFormat: true });
    }
    if (characterCount(rawMessage) > MAX_TRANSFER_MESSAGE_CHARS) {
      throw new WecomError('INVALID_ARGUMENT', {
        detail: `transfer_success_msg is longer than ${MAX_TRANSFER_MESSAGE_CHARS} characters`,
      });
    }
    message = rawMessage === '' ? null : rawMessage;
  }
  return { handoverUserid, takeoverUserid, externalUserids: ids, message };
}
