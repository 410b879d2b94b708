/**
 * The one table of every errcode handover answers with: its English errmsg text (WeCom's where one was
 * observed, spec §1.2) and the rule it enforces. docs/errcodes.md mirrors this table; a test keeps them equal.
 */
export const ERRCODES = {
  SYSTEM_BUSY: { code: -1, errmsg: 'system busy', rule: 'spec §1.2; injected by POST /admin/faults' },
  INVALID_CREDENTIAL: { code: 40001, errmsg: 'invalid credential', rule: 'spec §5.1: gettoken with a wrong corpsecret' },
  INVALID_USERID: { code: 40003, errmsg: 'invalid userid', rule: 'spec §9.1.5, §10.1: a userid unknown in the corp, not a valid userid, or a resigned member' },
  INVALID_CORPID: { code: 40013, errmsg: 'invalid corpid', rule: 'spec §5.1: gettoken with an unknown corpid' },
  INVALID_ACCESS_TOKEN: { code: 40014, errmsg: 'invalid access_token', rule: 'spec §9.1.1: token unknown or malformed' },
  INVALID_PARAMETER: { code: 40035, errmsg: 'invalid parameter', rule: 'handover: a cursor that handover did not issue' },
  INVALID_ARGUMENT: { code: 40058, errmsg: 'invalid parameter', rule: 'spec §9.1.3–4: unparsable body, too many ids, message too long, GET on a POST API' },
  INVALID_EXTERNAL_USERID: { code: 40096, errmsg: 'invalid external userid', rule: 'spec §9.1.7: external_userid unknown in this corp' },
  HANDOVER_NOT_RESIGNED: { code: 40097, errmsg: 'handover user is not resigned', rule: 'spec §10.3: resigned/transfer_customer for a handover still in service' },
  NOT_REAL_NAME_VERIFIED: { code: 40098, errmsg: 'user not real-name verified', rule: 'spec §9.1.6: takeover not real-name verified' },
  CUSTOMER_LIMIT_REACHED: { code: 40099, errmsg: 'external contact count reach limit', rule: 'spec §9.1.7: takeover at its customer cap (current + waiting incoming)' },
  CUSTOMER_IN_TRANSFER_PROCESS: { code: 40100, errmsg: 'external contact is already in the transfer process', rule: 'spec §10.7: deprecated externalcontact/transfer, in place of 40129' },
  TRANSFER_TOO_FREQUENT: { code: 40128, errmsg: 'customer transfer too frequently', rule: 'spec §9.1.7: 2 accepted transfers in the last 90 × 24 h' },
  CUSTOMER_IN_TRANSFER: { code: 40129, errmsg: 'customer is transferring', rule: 'spec §9.1.7: the customer already has a waiting transfer' },
  SAME_HANDOVER_TAKEOVER: { code: 40130, errmsg: 'handover and takeover user is same', rule: 'spec §9.1.5: handover_userid == takeover_userid' },
  NOT_FOLLOWER_OF_HANDOVER: { code: 40131, errmsg: 'handover user is not follow user of the external contact', rule: 'spec §9.1.7: not a current customer of the handover member' },
  ACCESS_TOKEN_MISSING: { code: 41001, errmsg: 'access_token missing', rule: 'spec §9.1.1: no access_token in the query string' },
  CORPID_MISSING: { code: 41002, errmsg: 'corpid missing', rule: 'spec §5.1: gettoken without corpid' },
  CORPSECRET_MISSING: { code: 41004, errmsg: 'corpsecret missing', rule: 'spec §5.1: gettoken without corpsecret (checked before corpid)' },
  USERID_MISSING: { code: 41009, errmsg: 'missing userid', rule: 'spec §9.1.4: handover_userid/takeover_userid/userid missing or empty' },
  EXTERNAL_USERID_MISSING: { code: 41035, errmsg: 'missing external userid', rule: 'spec §9.1.4: external_userid missing, empty or not an array of strings' },
  USER_NOT_ACTIVE: { code: 41054, errmsg: 'user status is not active', rule: 'spec §9.1.6: takeover not activated, or a member not logged in for 365 days' },
  ACCESS_TOKEN_EXPIRED: { code: 42001, errmsg: 'access_token expired', rule: 'spec §9.1.1, §9.4: token older than 7200 s of server clock' },
  API_FREQ_OUT_OF_LIMIT: { code: 45009, errmsg: 'api freq out of limit', rule: 'spec §9.4: per corp per API 10,000/min and 150,000/h (configurable)' },
  API_CONCURRENT_OUT_OF_LIMIT: { code: 45033, errmsg: 'api concurrent out of limit', rule: 'spec §1.2, §5.2; injected by POST /admin/faults' },
  API_FORBIDDEN: { code: 48002, errmsg: 'api forbidden', rule: 'spec §9.1.2: app may not call customer-contact APIs' },
  NO_PRIVILEGE: { code: 60011, errmsg: 'no privilege to access/modify contact/party/agent', rule: 'spec §9.1.6: member not in the app visible range' },
  NOT_EXTERNAL_CONTACT: { code: 84061, errmsg: 'not external contact', rule: 'spec §6.2–6.3: no relation between member and customer' },
  NOT_CUSTOMER_CONTACT_USER: { code: 610004, errmsg: 'user is not in customer contact range', rule: 'spec §9.1.6: takeover without customer contact enabled' },
} as const;

export type ErrcodeName = keyof typeof ERRCODES;
export type Errcode = (typeof ERRCODES)[ErrcodeName]['code'];

const NAME_BY_CODE: ReadonlyMap<number, ErrcodeName> = new Map(
  (Object.entries(ERRCODES) as [ErrcodeName, (typeof ERRCODES)[ErrcodeName]][]).map(([name, entry]) => [entry.code, name]),
);

export function errcodeName(code: number): ErrcodeName | undefined {
  return NAME_BY_CODE.get(code);
}
