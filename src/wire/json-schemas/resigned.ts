import { transferCustomerResponseSchema } from '../transfer-customer.js';
import { accessTokenQuery, arrayOf, boolean, integer, object, string, wecomAnswer } from './common.js';
import { externalUserid, takeoverTime, transferResultAnswer, transferResultBody, transferStatus, userid, type WecomRouteSchema } from './wecom.js';

/**
 * Schemas of the resigned family (behaviour §10.2, §10.3, §10.5) and of the deprecated one-customer calls
 * older SDKs still make (behaviour §10.7). Like wecom.ts: request schemas document, answers serialize.
 */

export const getUnassignedListSchema: WecomRouteSchema = {
  summary: 'Customers resigned members hold with no waiting transfer (behaviour §10.2), by cursor or the legacy page_id.',
  querystring: accessTokenQuery(),
  body: object({
    cursor: string('Opaque; empty or absent for the first page.'),
    page_size: { type: 'integer', minimum: 1, description: 'Default 1000; larger is clamped to 1000, below 1 → 40058.' },
    page_id: { type: 'integer', minimum: 0, description: 'Legacy 0-based page, honoured when no cursor is sent; page_id × page_size < 50000.' },
  }),
  response: wecomAnswer(
    { info: arrayOf(object({ handover_userid: userid, external_userid: externalUserid, dimission_time: integer('Unix seconds.') }, ['handover_userid', 'external_userid', 'dimission_time'])) },
    { is_last: boolean(), next_cursor: string('"" when done; absent when paging by page_id.') },
  ),
};

export const resignedTransferCustomerSchema: WecomRouteSchema = {
  summary: 'Start inheriting customers of a resigned member (behaviour §10.3): one result per id, in request order.',
  querystring: accessTokenQuery(),
  body: object(
    {
      handover_userid: userid,
      takeover_userid: userid,
      external_userid: { ...arrayOf(externalUserid), minItems: 1, maxItems: 100 },
      transfer_success_msg: string('Not part of this call: ignored when sent, whatever its length.'),
    },
    ['handover_userid', 'takeover_userid', 'external_userid'],
  ),
  response: { ...transferCustomerResponseSchema, additionalProperties: false, description: 'HTTP 200 whatever the outcome; customer is [] on a whole-call error.' },
};

export const resignedTransferResultSchema: WecomRouteSchema = {
  summary: 'Where each customer of a resigned member pair stands (behaviour §10.5): resigned transfers only, 1,000 per page.',
  querystring: accessTokenQuery(),
  body: transferResultBody,
  response: transferResultAnswer,
};

const oneCustomerBody = (extra: Record<string, object> = {}) =>
  object({ handover_userid: userid, takeover_userid: userid, external_userid: string('One customer, as a string (an array is 41035).'), ...extra }, [
    'handover_userid',
    'takeover_userid',
    'external_userid',
  ]);

export const deprecatedTransferSchema: WecomRouteSchema = {
  summary: 'Deprecated: transfer one customer (behaviour §10.7); its code is the whole answer, 40100 in place of 40129.',
  querystring: accessTokenQuery(),
  body: oneCustomerBody({ transfer_success_msg: { type: 'string', maxLength: 200, description: 'In-service handovers only; the configured default when absent.' } }),
  response: wecomAnswer({}),
};

export const deprecatedTransferResultSchema: WecomRouteSchema = {
  summary: 'Deprecated: the latest transfer of one customer between the pair, of either kind (behaviour §10.7); status 5 when none.',
  querystring: accessTokenQuery(),
  body: oneCustomerBody(),
  response: wecomAnswer({}, { status: transferStatus, takeover_time: takeoverTime }),
};
