import type { ConsoleReads } from './console-reads.js';
import * as overview from './queries/console-overview.js';
import * as customers from './queries/console-customers.js';
import { relationsOfCustomer } from './queries/contacts.js';
import { listEvents } from './queries/events.js';
import type { SqlDb } from './sql.js';

/** The console port on either adapter: each method is one query file's function, bound to the read. */
export function consoleReads(db: SqlDb): ConsoleReads {
  return {
    counts: () => overview.stateCounts(db),
    corpsWithApps: () => overview.corpsWithApps(db),
    membersPage: (corpid, after, limit) => overview.membersPage(db, corpid, after, limit),
    customersPage: (filter) => customers.customersPage(db, filter),
    relationsOfCustomer: (corpid, externalUserid) => relationsOfCustomer(db, corpid, externalUserid),
    transfersOfCustomer: (corpid, externalUserid) => customers.transfersOfCustomer(db, corpid, externalUserid),
    event: async (id) => (await listEvents(db, { afterId: id - 1, limit: 1 })).find((event) => event.id === id) ?? null,
  };
}
