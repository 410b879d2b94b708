/**
 * The one table of every errcode handover answers with: its English errmsg text (WeCom's where one was
 * observed, behaviour §1.2) and the rule it enforces. docs/errcodes.md mirrors this table; a test keeps them equal.
 */
export const ERRCODES = {
  SYSTEM_BUSY: { code: -1, errmsg: 'system busy', rule: 'behaviour §1.2; injected by POST /admin/faults' },
  INVALID_CREDENTIAL: { code: 40001, errmsg: 'invalid credential', rule: 'behaviour §5.1: gettoken with a wrong corpsecret' },
  INVALID_USERID: { code: 40003, errmsg: 'invalid userid', rule: 'behaviour §9.1.5, §10.1: a userid unknown in the corp, not a valid userid, or a resigned member' },
  INVALID_CORPID: { code: 40013, errmsg: 'invalid corpid', rule: 'behaviour §5.1: gettoken with an unknown corpid' },
  INVALID_ACCESS_TOKEN: { code: 40014, errmsg: 'invalid access_token', rule: 'behaviour §9.1.1: token unknown or malformed' },
  INVALID_PARAMETER: { code: 40035, errmsg: 'invalid parameter', rule: 'handover: a cursor that handover did not issue' },
  INVALID_CHAT_ID: { code: 40050, errmsg: 'invalid chatid', rule: 'behaviour §10.6: groupchat/get for a chat_id that is no customer group of the corp' },
  INVALID_ARGUMENT: { code: 40058, errmsg: 'invalid parameter', rule: 'behaviour §9.1.3–4: unparsable body, too many ids, message too long, GET on a POST API' },
  INVALID_EXTERNAL_USERID: { code: 40096, errmsg: 'invalid external userid', rule: 'behaviour §9.1.7: external_userid unknown in this corp' },
  HANDOVER_NOT_RESIGNED: { code: 40097, errmsg: 'handover user is not resigned', rule: 'behaviour §10.3: resigned/transfer_customer for a handover still in service' },
  NOT_REAL_NAME_VERIFIED: { code: 40098, errmsg: 'user not real-name verified', rule: 'behaviour §9.1.6: takeover not real-name verified' },
  CUSTOMER_LIMIT_REACHED: { code: 40099, errmsg: 'external contact count reach limit', rule: 'behaviour §9.1.7: takeover at its customer cap (current + waiting incoming)' },
  CUSTOMER_IN_TRANSFER_PROCESS: { code: 40100, errmsg: 'external contact is already in the transfer process', rule: 'behaviour §10.7: deprecated externalcontact/transfer, in place of 40129' },
  TRANSFER_TOO_FREQUENT: { code: 40128, errmsg: 'customer transfer too frequently', rule: 'behaviour §9.1.7: 2 accepted transfers in the last 90 × 24 h' },
  CUSTOMER_IN_TRANSFER: { code: 40129, errmsg: 'customer is transferring', rule: 'behaviour §9.1.7: the customer already has a waiting transfer' },
  SAME_HANDOVER_TAKEOVER: { code: 40130, errmsg: 'handover and takeover user is same', rule: 'behaviour §9.1.5: handover_userid == takeover_userid' },
  NOT_FOLLOWER_OF_HANDOVER: { code: 40131, errmsg: 'handover user is not follow user of the external contact', rule: 'behaviour §9.1.7: not a current customer of the handover member' },
  ACCESS_TOKEN_MISSING: { code: 41001, errmsg: 'access_token missing', rule: 'behaviour §9.1.1: no access_token in the query string' },
  CORPID_MISSING: { code: 41002, errmsg: 'corpid missing', rule: 'behaviour §5.1: gettoken without corpid' },
  CORPSECRET_MISSING: { code: 41004, errmsg: 'corpsecret missing', rule: 'behaviour §5.1: gettoken without corpsecret (checked before corpid)' },
  USERID_MISSING: { code: 41009, errmsg: 'missing userid', rule: 'behaviour §9.1.4: handover_userid/takeover_userid/userid missing or empty' },
  EXTERNAL_USERID_MISSING: { code: 41035, errmsg: 'missing external userid', rule: 'behaviour §9.1.4: external_userid missing, empty or not an array of strings' },
  USER_NOT_ACTIVE: { code: 41054, errmsg: 'user status is not active', rule: 'behaviour §9.1.6: takeover not activated, or a member not logged in for 365 days' },
  ACCESS_TOKEN_EXPIRED: { code: 42001, errmsg: 'access_token expired', rule: 'behaviour §9.1.1, §9.4: token older than 7200 s of server clock' },
  API_FREQ_OUT_OF_LIMIT: { code: 45009, errmsg: 'api freq out of limit', rule: 'behaviour §9.4: per corp per API 10,000/min and 150,000/h (configurable)' },
  API_CONCURRENT_OUT_OF_LIMIT: { code: 45033, errmsg: 'api concurrent out of limit', rule: 'behaviour §1.2, §5.2; injected by POST /admin/faults' },
  API_FORBIDDEN: { code: 48002, errmsg: 'api forbidden', rule: 'behaviour §9.1.2: app may not call customer-contact APIs' },
  NO_PRIVILEGE: { code: 60011, errmsg: 'no privilege to access/modify contact/party/agent', rule: 'behaviour §9.1.6: member not in the app visible range' },
  NOT_EXTERNAL_CONTACT: { code: 84061, errmsg: 'not external contact', rule: 'behaviour §6.2–6.3: no relation between member and customer' },
  GROUP_OWNER_NOT_RESIGNED: { code: 90500, errmsg: 'the owner of this chat is not resigned', rule: 'behaviour §10.6: groupchat/transfer of a group whose owner serves (failed_chat_list)' },
  NOT_EXTERNAL_GROUP_CHAT: { code: 90501, errmsg: 'chat is not external group chat', rule: 'behaviour §10.6: chat_id unknown or not a customer group (failed_chat_list)' },
  GROUP_OWNER_RESIGNED: { code: 90502, errmsg: 'the owner of this chat is resigned', rule: 'behaviour §10.6: groupchat/onjob_transfer of a group whose owner resigned (failed_chat_list)' },
  GROUP_OWNER_UNCHANGED: { code: 90504, errmsg: 'the new owner is the owner of this chat', rule: 'behaviour §10.6: new_owner already owns the group (failed_chat_list)' },
  GROUP_INHERITANCE_IN_PROGRESS: { code: 90507, errmsg: 'chat is being transferred', rule: 'behaviour §10.6: groupchat/transfer while the group\'s inheritance is in progress (failed_chat_list)' },
  GROUP_ALREADY_INHERITED: { code: 90508, errmsg: 'chat has been transferred', rule: 'behaviour §10.6: groupchat/transfer of a group whose resigned inheritance completed (failed_chat_list)' },
  NOT_CUSTOMER_CONTACT_USER: { code: 610004, errmsg: 'user is not in customer contact range', rule: 'behaviour §9.1.6: takeover without customer contact enabled' },
} as const;

export type ErrcodeName = keyof typeof ERRCODES;
export type Errcode = (typeof ERRCODES)[ErrcodeName]['code'];

const NAME_BY_CODE: ReadonlyMap<number, ErrcodeName> = new Map(
  (Object.entries(ERRCODES) as [ErrcodeName, (typeof ERRCODES)[ErrcodeName]][]).map(([name, entry]) => [entry.code, name]),
);

export function errcodeName(code: number): ErrcodeName | undefined {
  return NAME_BY_CODE.get(code);
}
