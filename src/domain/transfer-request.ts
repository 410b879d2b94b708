import { MAX_EXTERNAL_USERIDS_PER_CALL, MAX_TRANSFER_MESSAGE_CHARS } from '../wire/transfer-customer.js';
import { isStringArray, optionalString, requireBodyObject, requiredUserid } from './request-fields.js';
import { wellFormed } from './unicode-text.js';
import { WecomError } from './wecom-error.js';

/** A `transfer_customer` body after the checks of behaviour §9.1 step 4. */
export interface TransferCommand {
  handoverUserid: string;
  takeoverUserid: string;
  /** In request order, duplicates kept: each gets its own result entry (behaviour §9.1.7). */
  externalUserids: string[];
  /** null = use the configured default template (behaviour §9.2). */
  message: string | null;
}

/** Code points, not UTF-16 units: "200 characters" of Chinese text with emoji must count each as one. */
export function characterCount(text: string): number {
  let count = 0;
  for (const _ of text) count++;
  return count;
}

/** Behaviour §9.1 step 4, in that order. `body` is already-parsed JSON; step 3 (unparsable) is the caller's. */
export function parseTransferCommand(body: unknown): TransferCommand {
  const fields = requireBodyObject(body);
  const handoverUserid = requiredUserid(fields, 'handover_userid');
  const takeoverUserid = requiredUserid(fields, 'takeover_userid');

  const ids = fields['external_userid'];
  if (!isStringArray(ids) || ids.length === 0) {
    throw new WecomError('EXTERNAL_USERID_MISSING', { wrongJsonFormat: ids !== undefined && !Array.isArray(ids) });
  }
  if (ids.length > MAX_EXTERNAL_USERIDS_PER_CALL) {
    throw new WecomError('INVALID_ARGUMENT', {
      detail: `external_userid has ${ids.length} elements, at most ${MAX_EXTERNAL_USERIDS_PER_CALL} allowed`,
    });
  }
  const message = optionalString(fields, 'transfer_success_msg');
  if (message !== undefined && characterCount(message) > MAX_TRANSFER_MESSAGE_CHARS) {
    throw new WecomError('INVALID_ARGUMENT', { detail: `transfer_success_msg is longer than ${MAX_TRANSFER_MESSAGE_CHARS} characters` });
  }
  // The customer's inbox cannot hold U+0000 on PostgreSQL; refusing it on both backends keeps them alike.
  if (message?.includes('\u0000')) throw new WecomError('INVALID_ARGUMENT', { detail: 'transfer_success_msg contains a NUL character' });
  return { handoverUserid, takeoverUserid, externalUserids: ids, message: message ? wellFormed(message) : null };
}
