import type { IncomingMessage } from 'node:http';
import { type LocalServer, startServer } from '../callback/local-server.js';

/** A callback event as an SDK decoded it: the fields the tests read, as strings. */
export type DecodedEvent = Record<string, string>;

/** What an SDK-backed endpoint does with one request handover sent: the answer, and the event it decoded. */
export type SdkEndpoint = (request: { req: IncomingMessage; query: URLSearchParams; body: string }) => Promise<{ status: number; body: string; event?: DecodedEvent }>;

export interface CallbackSink {
  url: string;
  /** Every event the SDK decoded, in arrival order. */
  events: DecodedEvent[];
  /** Resolves with the first decoded event matching `match`, already received or yet to come; rejects
   * when the endpoint fails on a request meanwhile. */
  waitFor(match: (event: DecodedEvent) => boolean): Promise<DecodedEvent>;
  /** Endpoint failures (an SDK throwing on handover's request): the tests expect none. */
  failures: string[];
  close(): Promise<void>;
}

/**
 * The app's callback URL, served by an SDK's own verification and decryption code: URL verification
 * (GET with echostr) and every event POST go through `endpoint`, which answers as the SDK would.
 */
export async function startCallbackSink(endpoint: SdkEndpoint): Promise<CallbackSink> {
  const events: DecodedEvent[] = [];
  const failures: string[] = [];
  const waiters: { match: (event: DecodedEvent) => boolean; resolve: (event: DecodedEvent) => void; reject: (error: Error) => void }[] = [];
  const server: LocalServer = await startServer((req, res, recorded) => {
    const query = new URL(recorded.url, 'http://sink').searchParams;
    endpoint({ req, query, body: recorded.body })
      .then(({ status, body, event }) => {
        if (event) {
          events.push(event);
          for (const waiter of waiters.filter((w) => w.match(event))) {
            waiters.splice(waiters.indexOf(waiter), 1);
            waiter.resolve(event);
          }
        }
        res.writeHead(status, { 'content-type': 'text/plain' }).end(body);
      })
      .catch((error: Error) => {
        const failure = `${recorded.method} ${recorded.url}: ${error.message}`;
        failures.push(failure);
        // A waiting test fails at once with the SDK's error instead of timing out.
        for (const waiter of waiters.splice(0)) waiter.reject(new Error(`the SDK endpoint failed: ${failure}`));
        res.writeHead(500).end();
      });
  });
  return {
    url: `${server.url}/wecom/callback`,
    events,
    failures,
    waitFor: (match) => {
      const seen = events.find(match);
      if (seen) return Promise.resolve(seen);
      if (failures.length > 0) return Promise.reject(new Error(`the SDK endpoint failed: ${failures[0]}`));
      return new Promise((resolve, reject) => waiters.push({ match, resolve, reject }));
    },
    close: () => server.close(),
  };
}

/** An EncodingAESKey (43 characters of base64 without its final '=') and a callback token for one test. */
export const CALLBACK_SECRETS = Object.freeze({
  token: 'sdkCallbackToken2026',
  encodingAesKey: 'U2RrQ2FsbGJhY2tLZXlGb3JIYW5kb3ZlclRlc3RzMDE',
});
