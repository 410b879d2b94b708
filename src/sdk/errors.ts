/** What each errcode means, in words a person running a transfer can act on (behaviour §1.2, docs/errcodes.md). */
const EXPLANATIONS: Readonly<Record<number, string>> = {
  [-1]: 'WeCom is busy; retry later (at most 3 times)',
  0: 'accepted: the takeover starts now and completes automatically after 24 hours',
  40001: 'the secret does not match the corpid (or was reset)',
  40003: 'the userid does not exist in the corp',
  40013: 'the corpid is not valid',
  40014: 'the access_token is not valid',
  40035: 'a parameter is not valid (for example a cursor that did not come from the server)',
  40050: 'the chat_id is not a customer group of this corp',
  40058: 'a parameter is not valid: bad JSON, too many ids (at most 100) or a message over 200 characters',
  40096: 'the external_userid is not a customer of this corp',
  40097: 'the handover member has not resigned (use transfer_customer for members in service)',
  40098: 'the takeover member is not real-name verified',
  40099: 'the takeover member has reached the customer limit',
  40100: 'this customer is already being transferred (older wording of 40129)',
  40128: 'this customer was already transferred twice in the last 90 days',
  40129: 'this customer is already being transferred',
  40130: 'the handover and the takeover member are the same person',
  40131: 'the customer is not a customer of the handover member',
  41001: 'the access_token is missing',
  41002: 'the corpid is missing',
  41004: 'the corpsecret is missing',
  41009: 'a userid is missing',
  41035: 'the external_userid list is missing or empty',
  41054: 'the member is not activated or has not logged in within the last year',
  42001: 'the access_token has expired',
  45009: 'the API call frequency limit was reached; wait and retry',
  45033: 'too many concurrent calls to this API; wait and retry',
  48002: 'this app may not call the customer-contact API (check the 可调用应用 list or the app permissions)',
  60011: 'the member is outside the app visible range',
  84061: 'there is no customer relation between the member and this customer',
  90500: 'the owner of this group has not resigned: use groupchat/onjob_transfer',
  90501: 'the chat_id is not a customer group of this corp',
  90502: 'the owner of this group has resigned: use groupchat/transfer',
  90504: 'the new owner already owns this group',
  90507: 'this group is already being inherited; it completes by itself',
  90508: 'this group was already inherited from its resigned owner',
  610004: 'the takeover member does not have customer contact enabled',
};

export function explainErrcode(errcode: number): string {
  return EXPLANATIONS[errcode] ?? `WeCom error ${errcode}`;
}

/**
 * A non-zero `errcode` answered for a whole call.
 *
 * @example
 * try { await client.transferCustomer(request); }
 * catch (error) { if (error instanceof WecomError && error.errcode === 48002) console.error(error.explanation); }
 */
export class WecomError extends Error {
  readonly explanation: string;

  constructor(
    readonly errcode: number,
    readonly errmsg: string,
    readonly path: string,
  ) {
    super(`${path}: ${errcode} ${explainErrcode(errcode)} (${errmsg})`);
    this.name = 'WecomError';
    this.explanation = explainErrcode(errcode);
  }
}

/** The server could not be reached or answered something that is not WeCom JSON. */
export class WecomTransportError extends Error {
  constructor(
    message: string,
    readonly path: string,
    /** true when the request may have reached the server (so a non-idempotent call may have run). */
    readonly maybeSent: boolean,
  ) {
    super(message);
    this.name = 'WecomTransportError';
  }
}
