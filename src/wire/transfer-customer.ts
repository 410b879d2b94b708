import type { WecomResponse } from './envelope.js';

/** WeCom caps one call at 100 customers (behaviour §0). */
export const MAX_EXTERNAL_USERIDS_PER_CALL = 100;
/** `transfer_success_msg` is at most 200 characters, counted as Unicode code points (behaviour §9.1.4). */
export const MAX_TRANSFER_MESSAGE_CHARS = 200;

/** Body of `POST /cgi-bin/externalcontact/transfer_customer` (behaviour §0). */
export interface TransferCustomerRequest {
  handover_userid: string;
  takeover_userid: string;
  external_userid: string[];
  transfer_success_msg?: string;
}

/** One entry per requested id, in request order; `errcode` 0 means the takeover has *started* (24 h). */
export interface TransferCustomerResult {
  external_userid: string;
  errcode: number;
}

export interface TransferCustomerResponse extends WecomResponse {
  customer: TransferCustomerResult[];
}

/** Fastify/fast-json-stringify schema of the response: serialising with it is several times faster than JSON.stringify. */
export const transferCustomerResponseSchema = {
  type: 'object',
  properties: {
    errcode: { type: 'integer' },
    errmsg: { type: 'string' },
    customer: {
      type: 'array',
      items: {
        type: 'object',
        properties: { external_userid: { type: 'string' }, errcode: { type: 'integer' } },
        required: ['external_userid', 'errcode'],
      },
    },
  },
  required: ['errcode', 'errmsg', 'customer'],
} as const;
