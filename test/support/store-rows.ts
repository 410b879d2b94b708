import type { Customer, Member, Relation } from '../../src/domain/types.js';
import { startAccepted, type QuotaJudgement } from '../../src/service/start-waiting-transfers.js';
import type { CorpSnapshot, NewTransfer, StartTransfersPort, Store } from '../../src/store/store.js';

/** Rows of corp `c` for the store-port suites, which talk to the store without HTTP or fixtures. */
const CORPID = 'c';
const DAY_MS = 86_400_000;

/** An eligible member (activated, verified, contact enabled) of corp `c`. */
export const storeMember = (userid: string, customerCap = 100): Member => ({
  corpid: CORPID,
  userid,
  name: userid,
  activated: true,
  realNameVerified: true,
  customerContactEnabled: true,
  lastLoginAt: 1_000,
  customerCap,
  dimissionTime: null,
});

/** A relation added at 5,000 ms by the member itself; `fields` fill in remark, tags and the rest. */
export const storeRelation = (userid: string, externalUserid: string, fields: Partial<Relation> = {}): Relation => ({
  corpid: CORPID,
  userid,
  externalUserid,
  remark: '',
  description: '',
  tags: [],
  createdAt: 5_000,
  addWay: 1,
  state: null,
  operUserid: userid,
  remarkCorpName: null,
  remarkMobiles: [],
  ...fields,
});

export const storeCustomer = (externalUserid: string): Customer => ({
  corpid: CORPID,
  externalUserid,
  name: externalUserid,
  type: 1,
  corpName: null,
  corpFullName: null,
  position: null,
  avatar: '',
  gender: 0,
  unionid: null,
});

/** Corp `c` with one self-built app and the given members, customers and relations. */
export const storeCorp = (members: Member[], customerIds: readonly string[], relations: Relation[]): CorpSnapshot => ({
  corp: { corpid: CORPID, name: 'Corp' },
  apps: [{ corpid: CORPID, agentid: 1, secret: 's', kind: 'self_built', customerContactCallable: true, permissions: [], visibleUserids: ['*'], callback: null }],
  members,
  customers: customerIds.map(storeCustomer),
  relations,
});

/** A waiting transfer from alice, due a day after it starts. */
export const storeTransfer = (externalUserid: string, takeoverUserid: string, startedAt: number, kind: NewTransfer['kind'] = 'onjob'): NewTransfer => ({
  kind,
  corpid: CORPID,
  externalUserid,
  handoverUserid: 'alice',
  takeoverUserid,
  startedAt,
  dueAt: startedAt + DAY_MS,
});

/** Starts transfers as the transfer calls do after deciding (insert, quota re-check, counters); answers who started. */
export async function startStoreTransfers(store: Store, tx: StartTransfersPort, transfers: readonly NewTransfer[], quota: QuotaJudgement | null = null): Promise<Set<string>> {
  return new Set((await startAccepted(tx, store.capabilities.rowLocks, transfers, quota)).keys());
}
