/**
 * Cursors are opaque to callers (behaviour §2, §6.4): base64url of a small JSON record tagged with its kind,
 * so a cursor from one endpoint is refused by another instead of being misread.
 */
export function encodeCursor(kind: string, value: unknown): string {
  return Buffer.from(JSON.stringify({ k: kind, v: value }), 'utf8').toString('base64url');
}

/** The value of a cursor of this kind, or undefined for anything handover did not issue. */
export function decodeCursor(cursor: string, kind: string): unknown {
  if (!/^[A-Za-z0-9_-]{1,2048}$/.test(cursor)) return undefined;
  try {
    const record = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as { k?: unknown; v?: unknown };
    return record && record.k === kind ? record.v : undefined;
  } catch {
    return undefined;
  }
}
