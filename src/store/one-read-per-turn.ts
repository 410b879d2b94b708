/**
 * A read that every caller asking before it is sent shares: the first caller schedules it for the event
 * loop's check phase (after the continuations of this turn have run, so every request the loop has read
 * asks first), later callers join until it is sent, and callers after that get the next one. Each caller
 * therefore sees a read sent after it asked: nothing committed before a caller asked is missed.
 *
 * For the token check's clock row on PostgreSQL (issue 13, figure 6 at 1 id per call): one statement of a
 * transfer call's five, sent by every call although the calls that arrive together need one answer.
 */
export function oneReadPerTurn<T>(read: () => Promise<T>): () => Promise<T> {
  let next: Promise<T> | undefined;
  return () => {
    next ??= new Promise<void>((resolve) => setImmediate(resolve)).then(() => {
      next = undefined;
      return read();
    });
    return next;
  };
}
