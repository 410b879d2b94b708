/**
 * The query string as one string per name, the first occurrence winning (issue 11, defect 4). Fastify's
 * default parser turns `?corpid=A&corpid=B` into an array, which reached the store as two bound values
 * ("RangeError: Too many parameter values") and came back as -1 "system busy", a code SDKs retry.
 * The object has no prototype, so a `__proto__` name is a plain key like any other.
 */
export function parseQueryFirstValueWins(query: string): Record<string, string> {
  const parsed: Record<string, string> = Object.create(null);
  for (const [name, value] of new URLSearchParams(query)) {
    if (!Object.prototype.hasOwnProperty.call(parsed, name)) parsed[name] = value;
  }
  return parsed;
}
