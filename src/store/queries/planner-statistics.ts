import type { SqlDb, StoreCapabilities } from '../sql.js';

/** The tables a transfer call's statements plan on (customers and relations by id, members, transfers). */
const TRANSFER_TABLES = ['customers', 'relations', 'members', 'transfers'] as const;

/**
 * After a bulk load, PostgreSQL plans on statistics from before it until autovacuum gets round to
 * ANALYZE (up to a minute later). Meanwhile a 100-id transfer_customer planned its facts query as a scan of
 * the corp's every customer (statistics said the corp had ~200), filtering the ids: 90 ms instead of
 * 7 ms on 100,000 customers (EXPLAIN ANALYZE), and figure 6 ran in exactly that minute. ANALYZE samples
 * (~30,000 rows a table), so it costs a fraction of the load; it runs in the loading transaction.
 * SQLite plans these statements by their primary keys without statistics.
 */
export async function refreshPlannerStatistics(db: SqlDb, capabilities: StoreCapabilities): Promise<void> {
  if (!capabilities.analyzeAfterLoad) return;
  await db.run(`ANALYZE ${TRANSFER_TABLES.join(', ')}`);
}
