import type { SqlDatabase, SqlDb, StoreCapabilities, WriteControl } from './sql.js';
import type { ClockRecord, Store, StoreTx } from './store.js';
import { CLOCK_STATE_SQL, type ClockStateRow } from './queries/clock.js';
import { consoleReads } from './console-reads-sql.js';
import { oneReadPerTurn } from './one-read-per-turn.js';
import { changeCounterBump, readChangeVersion, readClockStateAndChangeVersion, trackChanges } from './queries/change-counter.js';
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
import * as transferEffects from './queries/transfer-effects.js';
import * as transfers from './queries/transfers.js';
import * as transferHistory from './queries/transfer-history.js';
import * as unassigned from './queries/unassigned.js';
import * as groupChats from './queries/group-chats.js';
import * as groupTransfers from './queries/group-transfers.js';

/**
 * The ports on top of either adapter: every method is one query file's function, bound to the transaction.
 * The binding holds no state: what a write must re-check (the clock it read, the quota it judged) is passed
 * in by the use case.
 */
function bindTx(db: SqlDb, caps: StoreCapabilities, prefetched: (() => ClockRecord | undefined) | null = null, control?: WriteControl): StoreTx {
  const atCommit = control?.atCommit;
  return {
    clockState: async () => prefetched?.() ?? clock.readClockState(db),
    clockStateAndChangeVersion: () => readClockStateAndChangeVersion(db),
    setClockState: (state, read) => clock.writeClockState(db, state, caps.rowLocks ? read : null),

    corpExists: (corpid) => appsAndTokens.corpExists(db, corpid),
    findAppBySecret: (corpid, secret) => appsAndTokens.findAppBySecret(db, corpid, secret),
    getApp: (corpid, agentid) => appsAndTokens.getApp(db, corpid, agentid),
    findLiveToken: (corpid, agentid, now) => appsAndTokens.findLiveToken(db, caps, corpid, agentid, now),
    findToken: (token) => appsAndTokens.findToken(db, token),
    insertToken: (token) => appsAndTokens.insertToken(db, token),
    retireTokensAfterSetBack: (now, previous) => appsAndTokens.retireTokensAfterSetBack(db, now, previous),

    getMembers: (corpid, userids) => members.getMembers(db, corpid, userids),
    transferFacts: (corpid, handover, ids, quotaFrom) => startTransfers.transferFacts(db, corpid, handover, ids, quotaFrom),
    decisionFacts: (corpid, handover, takeover, ids, quotaFrom) => startTransfers.decisionFacts(db, corpid, handover, takeover, ids, quotaFrom),
    takeoverLoad: (corpid, takeover, lock) => startTransfers.takeoverLoad(db, caps, corpid, takeover, lock),
    reserveTakeoverPlaces: (corpid, takeover, places, cap) => startTransfers.reserveTakeoverPlaces(db, corpid, takeover, places, cap),
    reserveTakeoverPlacesAtCommit: atCommit
      ? (corpid, takeover, places, cap, quota) => startTransfers.reserveTakeoverPlacesAtCommit(atCommit, corpid, takeover, places, cap, quota)
      : null,
    recountAtCommit: atCommit !== undefined && control?.lockShared !== true,
    insertWaitingTransfers: (rows) => startTransfers.insertWaitingTransfers(db, caps, rows),
    startsSince: (corpid, ids, from) => startTransfers.startsSince(db, caps, corpid, ids, from),
    withdrawTransfers: (ids) => startTransfers.withdrawTransfers(db, caps, ids),
    insertNotice: (corpid, content) => messages.insertNotice(db, corpid, content),
    applyTransferEffects: (effects) => transferEffects.applyTransferEffects(db, caps, effects),

    claimDueTransfers: (now, limit) => takeovers.claimDueTransfers(db, caps, now, limit),
    takeoverFacts: (due) => takeovers.takeoverFacts(db, caps, due),
    findWaitingTransfer: (corpid, externalUserid) => transfers.findWaitingTransfer(db, caps, corpid, externalUserid),
    follows: (corpid, userid, externalUserid) => contacts.follows(db, corpid, userid, externalUserid),

    callbackApps: (corpids) => outbox.callbackApps(db, corpids),
    insertOutboxRows: (rows, now) => outbox.insertOutboxRows(db, caps, rows, now),
    claimDeliveries: (realNow, leaseUntil, limit) => outbox.claimDeliveries(db, caps, realNow, leaseUntil, limit),
    recordDeliveries: (results, realNow) => outbox.recordDeliveries(db, caps, results, realNow),
    redeliver: (eventId) => outbox.redeliver(db, eventId),
    setAppCallback: (corpid, agentid, callback) => outbox.setAppCallback(db, corpid, agentid, callback),
    appsWithAgentid: (agentid) => outbox.appsWithAgentid(db, agentid),

    listMembers: (corpid) => members.listMembers(db, corpid),
    getCustomer: async (corpid, externalUserid) => (await contacts.getCustomers(db, corpid, [externalUserid]))[0] ?? null,
    getCustomers: (corpid, ids) => contacts.getCustomers(db, corpid, ids),
    relationsOfCustomer: (corpid, externalUserid) => contacts.relationsOfCustomer(db, corpid, externalUserid),
    customerIdsOf: (corpid, userid) => contacts.customerIdsOf(db, corpid, userid),
    relationsOfMembers: (corpid, userids, after, limit) => contacts.relationsOfMembers(db, corpid, userids, after, limit),
    latestTransfersOfPair: (kind, corpid, handover, takeover, after, limit) => transfers.latestTransfersOfPair(db, kind, corpid, handover, takeover, after, limit),
    unassignedCustomers: (corpid, from, limit) => unassigned.unassignedCustomers(db, corpid, from, limit),
    latestTransferOfCustomer: (corpid, handover, takeover, externalUserid) => transfers.latestTransferOfCustomer(db, corpid, handover, takeover, externalUserid),

    updateMember: (member) => members.updateMember(db, member),
    listCorpsOfMember: (userid) => members.corpsOfMember(db, userid),
    hasWaitingTransfers: (corpid, userid) => transfers.hasWaitingTransfers(db, corpid, userid),
    corpidsOfCustomer: (externalUserid) => contacts.corpidsOfCustomer(db, externalUserid),
    messagesOf: (corpid, externalUserid) => messages.messagesOf(db, corpid, externalUserid),
    listEvents: (filter) => events.listEvents(db, filter),
    loadCorps: (snapshots) => corps.loadCorps(db, caps, snapshots),
    beginCorpLoad: (corp) => corps.beginCorpLoad(db, corp),
    renameCorp: (corpid, name) => corps.renameCorp(db, corpid, name),
    insertApps: (apps) => corps.insertApps(db, caps, apps),
    insertMembers: (members) => corps.insertMembers(db, caps, members),
    insertCustomers: (customers) => corps.insertCustomers(db, caps, customers),
    insertRelations: (relations) => corps.insertRelations(db, caps, relations),
    finishCorpLoad: (corpid, groupChats) => corps.finishCorpLoad(db, caps, corpid, groupChats),
    deferLoadIndexes: (loadedRows) => corps.deferLoadIndexes(db, caps, loadedRows),
    restoreLoadIndexes: (statements) => corps.restoreLoadIndexes(db, statements),
    exportCorps: () => corps.exportCorps(db),
    reset: () => corps.resetAll(db),

    listTransfers: (filter) => transferHistory.listTransfers(db, filter),

    groupChatStates: (corpid, chatIds) => groupChats.groupChatStates(db, corpid, chatIds),
    pageGroupChats: (corpid, owners, after, limit) => groupChats.pageGroupChatStates(db, corpid, owners, after, limit),
    lockCorpGroupTransfers: (corpid) => groupTransfers.lockCorpGroupTransfers(db, caps, corpid),
    groupOnjobStartsSince: (corpid, chatIds, from) => groupTransfers.onjobStartsSince(db, corpid, chatIds, from),
    groupsAssignedSince: (corpid, owners, from) => groupTransfers.assignedSince(db, corpid, owners, from),
    insertGroupTransfers: (transfers) => groupTransfers.insertGroupTransfers(db, transfers),
    updateGroupChat: (group, previousOwner) => groupChats.updateGroupChat(db, group, previousOwner),
    claimDueGroupTransfers: (now, limit) => groupTransfers.claimDueGroupTransfers(db, caps, now, limit),
    completeGroupTransfers: (transfers) => groupTransfers.completeGroupTransfers(db, transfers),
    inProgressGroupTransfersOf: (corpid, userid) => groupTransfers.inProgressGroupTransfersOf(db, corpid, userid),
  };
}

/**
 * Every write transaction knows the clock before its first statement: read with its BEGIN (PostgreSQL: one
 * round trip for both; most use cases read the clock first: a transfer call's 8 round trips were 9), or
 * handed in by the caller (Store.write's `knownClock`). The record stands for `clockState()` only while no
 * other statement has run in the transaction; after that it is read again.
 */
function clockBeforeFirstStatement(tracked: { statements(): number }, record: ClockRecord | undefined): () => ClockRecord | undefined {
  let used = false;
  return () => {
    if (used || tracked.statements() > 0 || record === undefined) return undefined;
    used = true;
    return record;
  };
}

export function sqlStore(database: SqlDatabase): Store {
  const caps = database.capabilities;
  const bump = changeCounterBump(caps);
  const readClock = () => database.readNow((db) => clock.readClockState(db));
  return {
    capabilities: caps,
    // SQLite reads the row in-process in microseconds: a shared read would only add a turn of waiting.
    clockNow: caps.rowLocks ? oneReadPerTurn(readClock) : readClock,
    write: (fn, options) => {
      const known = caps.rowLocks ? options?.knownClock : undefined;
      const body = async (db: SqlDb, control: WriteControl) => {
        const tracked = trackChanges(db);
        const row = control.first as ClockStateRow;
        const before = known ?? (row === undefined ? undefined : clock.toClockRecord(row));
        let lateWrites = false;
        const late = control.atCommit;
        const controlled: WriteControl = late ? { ...control, atCommit: (sql, params) => ((lateWrites = true), late(sql, params)) } : control;
        const result = await fn(bindTx(tracked.db, caps, clockBeforeFirstStatement(tracked, before), controlled));
        // The bump goes with the COMMIT (one round trip on PostgreSQL instead of two).
        if (tracked.changed() || lateWrites) control.finish(bump);
        return result;
      };
      const lockOrder = options?.shareTransaction?.lockOrder;
      if (lockOrder !== undefined && database.writeShared) return database.writeShared(body, lockOrder);
      return database.write(body, known === undefined ? CLOCK_STATE_SQL : undefined);
    },
    read: (fn) => database.read((db) => fn(bindTx(db, caps))),
    readNow: (fn) => database.readNow((db) => fn(bindTx(db, caps))),
    readConsole: (fn) => database.read((db) => fn(consoleReads(db))),
    changeVersion: () => database.read(readChangeVersion),
    close: () => database.close(),
  };
}
