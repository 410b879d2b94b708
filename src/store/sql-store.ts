import type { SqlDatabase, SqlDb, StoreCapabilities } from './sql.js';
import type { ClockRecord, Store, StoreTx } from './store.js';
import { consoleReads } from './console-reads-sql.js';
import { bumpChangeCounter, readChangeVersion, trackChanges } from './queries/change-counter.js';
import * as appsAndTokens from './queries/apps-and-tokens.js';
import * as clock from './queries/clock.js';
import * as contacts from './queries/contacts.js';
import * as corps from './queries/corps.js';
import * as events from './queries/events.js';
import * as members from './queries/members.js';
import * as messages from './queries/messages.js';
import * as outbox from './queries/outbox.js';
import * as startTransfers from './queries/start-transfers.js';
import * as takeovers from './queries/takeovers.js';
import * as transfers from './queries/transfers.js';

/** The port on top of either adapter: every method is one query file's function, bound to the transaction. */
function bindTx(db: SqlDb, caps: StoreCapabilities): StoreTx {
  // What this transaction decided on, so that its writes can check it still holds where other processes
  // write at the same time (see writeClockState and insertTransfers). One binding per transaction.
  let clockRead: ClockRecord | null = null;
  let quotaJudged: startTransfers.QuotaJudgement | null = null;
  return {
    clockState: async () => (clockRead = await clock.readClockState(db)),
    setClockState: (state) => clock.writeClockState(db, state, caps.rowLocks ? clockRead : null),

    corpExists: (corpid) => appsAndTokens.corpExists(db, corpid),
    findAppBySecret: (corpid, secret) => appsAndTokens.findAppBySecret(db, corpid, secret),
    getApp: (corpid, agentid) => appsAndTokens.getApp(db, corpid, agentid),
    findLiveToken: (corpid, agentid, now) => appsAndTokens.findLiveToken(db, caps, corpid, agentid, now),
    findToken: (token) => appsAndTokens.findToken(db, token),
    insertToken: (token) => appsAndTokens.insertToken(db, token),

    getMembers: (corpid, userids) => members.getMembers(db, corpid, userids),
    listMembers: (corpid) => members.listMembers(db, corpid),
    updateMember: (member) => members.updateMember(db, member),
    listCorpsOfMember: (userid) => members.corpsOfMember(db, userid),
    transferFacts: async (corpid, handover, ids, quotaFrom) => {
      const facts = await startTransfers.transferFacts(db, corpid, handover, ids, quotaFrom);
      quotaJudged = startTransfers.judgementOf(corpid, quotaFrom, facts);
      return facts;
    },
    lockTakeoverLoad: (corpid, takeover) => startTransfers.lockTakeoverLoad(db, caps, corpid, takeover),
    insertTransfers: (rows) => startTransfers.insertTransfers(db, caps, rows, quotaJudged),
    insertMessages: (rows) => messages.insertMessages(db, caps, rows),

    claimDueTransfers: (now, limit) => takeovers.claimDueTransfers(db, caps, now, limit),
    takeoverFacts: (due) => takeovers.takeoverFacts(db, caps, due),
    applyTakeoverOutcomes: (outcomes) => takeovers.applyTakeoverOutcomes(db, caps, outcomes),
    findWaitingTransfer: (corpid, externalUserid) => transfers.findWaitingTransfer(db, caps, corpid, externalUserid),
    updateTransferStatus: (transfer) => transfers.endWaitingTransfer(db, transfer),
    callbackApps: (corpids) => outbox.callbackApps(db, corpids),
    insertOutboxRows: (rows, now) => outbox.insertOutboxRows(db, caps, rows, now),
    claimDeliveries: (realNow, leaseUntil, limit) => outbox.claimDeliveries(db, caps, realNow, leaseUntil, limit),
    recordDeliveries: (results, realNow) => outbox.recordDeliveries(db, caps, results, realNow),
    redeliver: (eventId) => outbox.redeliver(db, eventId),
    setAppCallback: (corpid, agentid, callback) => outbox.setAppCallback(db, corpid, agentid, callback),
    appsWithAgentid: (agentid) => outbox.appsWithAgentid(db, agentid),

    latestTransfersOfPair: (corpid, handover, takeover, after, limit) => transfers.latestTransfersOfPair(db, corpid, handover, takeover, after, limit),

    getCustomer: async (corpid, externalUserid) => (await contacts.getCustomers(db, corpid, [externalUserid]))[0] ?? null,
    getCustomers: (corpid, ids) => contacts.getCustomers(db, corpid, ids),
    relationsOfCustomer: (corpid, externalUserid) => contacts.relationsOfCustomer(db, corpid, externalUserid),
    customerIdsOf: (corpid, userid) => contacts.customerIdsOf(db, corpid, userid),
    relationsOfMembers: (corpid, userids, after, limit) => contacts.relationsOfMembers(db, corpid, userids, after, limit),

    corpidsOfCustomer: (externalUserid) => contacts.corpidsOfCustomer(db, externalUserid),
    messagesOf: (corpid, externalUserid) => messages.messagesOf(db, corpid, externalUserid),
    listEvents: (filter) => events.listEvents(db, filter),

    loadCorps: (snapshots) => corps.loadCorps(db, caps, snapshots),
    exportCorps: () => corps.exportCorps(db),
    reset: () => corps.resetAll(db),
  };
}

export function sqlStore(database: SqlDatabase): Store {
  const caps = database.capabilities;
  return {
    capabilities: caps,
    write: (fn) =>
      database.write(async (db) => {
        const tracked = trackChanges(db);
        const result = await fn(bindTx(tracked.db, caps));
        if (tracked.changed()) await bumpChangeCounter(db, caps);
        return result;
      }),
    read: (fn) => database.read((db) => fn(bindTx(db, caps))),
    readConsole: (fn) => database.read((db) => fn(consoleReads(db))),
    changeVersion: () => database.read(readChangeVersion),
    close: () => database.close(),
  };
}
