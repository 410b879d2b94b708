/**
 * No stored id or secret contains U+0000: PostgreSQL text cannot hold one, so a value carrying it names
 * nothing on either backend. Services answer such a value as unknown (40003, 40096, 40013, 40001 as the
 * endpoint says) without asking the store; on PostgreSQL the statement would fail and turn the caller's
 * bad input into -1 "system busy", a code SDKs retry.
 */
export function mayNameARecord(value: string): boolean {
  return !value.includes('\u0000');
}
