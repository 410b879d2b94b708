import { ERRCODES, errcodeName } from '../domain/errcodes.js';
import { mayCall } from '../domain/permissions.js';
import { requireBodyObject, requiredUserid } from '../domain/request-fields.js';
import { isResigned } from '../domain/resigned-members.js';
import type { App } from '../domain/types.js';
import { isValidUserid } from '../domain/userid.js';
import { WecomError, wecomError } from '../domain/wecom-error.js';
import type { ServiceContext } from './context.js';
import { takeoverTime } from './get-transfer-result.js';
import { resignedTransferCustomers } from './resigned-transfer-customers.js';
import { transferCustomers } from './transfer-customers.js';

/** Behaviour §10.7: the old calls name one customer by a string; an array (or anything else) is 41035. */
function singleExternalUserid(fields: Record<string, unknown>): string {
  const id = fields['external_userid'];
  if (typeof id === 'string' && id !== '') return id;
  throw new WecomError('EXTERNAL_USERID_MISSING', { wrongJsonFormat: id !== undefined && id !== null && typeof id !== 'string' });
}

/**
 * Deprecated `externalcontact/transfer` (behaviour §10.7): one customer; an in-service handover runs §9.1, a
 * resigned one §10.3 (its app then needs `resigned_transfer`). The per-customer code is the whole answer,
 * with 40100 in place of 40129 (the older wording of "already in transfer").
 */
export async function deprecatedTransfer(ctx: ServiceContext, app: App, body: unknown): Promise<Record<string, never>> {
  const fields = requireBodyObject(body);
  const handoverUserid = requiredUserid(fields, 'handover_userid');
  requiredUserid(fields, 'takeover_userid');
  const externalUserid = singleExternalUserid(fields);
  const [handover] = isValidUserid(handoverUserid) ? await ctx.store.read((tx) => tx.getMembers(app.corpid, [handoverUserid])) : [];
  const resigned = handover !== undefined && isResigned(handover);
  if (resigned && !mayCall(app, 'resigned_transfer')) throw wecomError('API_FORBIDDEN');
  if (!resigned && !mayCall(app, 'onjob_transfer')) throw wecomError('API_FORBIDDEN');
  const asCall = { ...fields, external_userid: [externalUserid] };
  const [result] = resigned ? await resignedTransferCustomers(ctx, app, asCall) : await transferCustomers(ctx, app, asCall);
  const code = result!.errcode === ERRCODES.CUSTOMER_IN_TRANSFER.code ? ERRCODES.CUSTOMER_IN_TRANSFER_PROCESS.code : result!.errcode;
  if (code !== 0) throw new WecomError(errcodeName(code) ?? 'SYSTEM_BUSY');
  return {};
}

/** Status 5 (无接替记录): the pair never transferred the customer (behaviour §2, §10.7). */
const NO_TAKEOVER_RECORD = 5;

/**
 * Deprecated `get_transfer_result` (behaviour §10.7): the latest transfer of the customer between the pair, of
 * either kind (resigned members are accepted, as by the old API); none → status 5, takeover_time 0.
 */
export async function deprecatedTransferResult(ctx: ServiceContext, app: App, body: unknown): Promise<{ status: number; takeover_time: number }> {
  const fields = requireBodyObject(body);
  const handoverUserid = requiredUserid(fields, 'handover_userid');
  const takeoverUserid = requiredUserid(fields, 'takeover_userid');
  const externalUserid = singleExternalUserid(fields);
  return ctx.store.read(async (tx) => {
    const members = await tx.getMembers(app.corpid, [handoverUserid, takeoverUserid].filter(isValidUserid));
    if (!members.some((m) => m.userid === handoverUserid)) throw wecomError('INVALID_USERID', 'handover_userid');
    if (!members.some((m) => m.userid === takeoverUserid)) throw wecomError('INVALID_USERID', 'takeover_userid');
    const latest = await tx.latestTransferOfCustomer(app.corpid, handoverUserid, takeoverUserid, externalUserid);
    if (!latest) return { status: NO_TAKEOVER_RECORD, takeover_time: 0 };
    return { status: latest.status, takeover_time: takeoverTime(latest) };
  });
}
