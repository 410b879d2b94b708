/**
 * Every WeCom answer carries `errcode` and `errmsg`; callers must key on `errcode` only (behaviour §1.1).
 * API-level errors still come with HTTP 200.
 */
export interface WecomResponse {
  errcode: number;
  errmsg: string;
}

/** The host real WeCom answers on; the SDK and CLI default to it, handover is reached with `--base-url`. */
export const WECOM_BASE_URL = 'https://qyapi.weixin.qq.com';

/** Paths of every endpoint handover serves (same as WeCom's). */
export const PATHS = {
  gettoken: '/cgi-bin/gettoken',
  transferCustomer: '/cgi-bin/externalcontact/transfer_customer',
  transferResult: '/cgi-bin/externalcontact/transfer_result',
  list: '/cgi-bin/externalcontact/list',
  get: '/cgi-bin/externalcontact/get',
  batchGetByUser: '/cgi-bin/externalcontact/batch/get_by_user',
  getFollowUserList: '/cgi-bin/externalcontact/get_follow_user_list',
  getUnassignedList: '/cgi-bin/externalcontact/get_unassigned_list',
  resignedTransferCustomer: '/cgi-bin/externalcontact/resigned/transfer_customer',
  resignedTransferResult: '/cgi-bin/externalcontact/resigned/transfer_result',
  transfer: '/cgi-bin/externalcontact/transfer',
  getTransferResult: '/cgi-bin/externalcontact/get_transfer_result',
  groupchatList: '/cgi-bin/externalcontact/groupchat/list',
  groupchatGet: '/cgi-bin/externalcontact/groupchat/get',
  groupchatOnjobTransfer: '/cgi-bin/externalcontact/groupchat/onjob_transfer',
  groupchatTransfer: '/cgi-bin/externalcontact/groupchat/transfer',
} as const;

export type ApiName = keyof typeof PATHS;
