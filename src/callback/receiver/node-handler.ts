import type { IncomingMessage, ServerResponse } from 'node:http';
import { answerCallback, type CallbackEventHandler } from './answer.js';
import { createCallbackReceiver, type CallbackReceiverOptions } from './receiver.js';

export interface NodeCallbackHandlerOptions extends CallbackReceiverOptions {
  /** Larger bodies get 413; an encrypted event is well under 4 KiB. Default 1 MiB. */
  maxBodyBytes?: number;
  /** Called with an error thrown by `onEvent` (the request is answered 500 so the sender retries). */
  onError?: (error: unknown) => void;
}

const DEFAULT_MAX_BODY_BYTES = 1024 * 1024;

class BodyTooLarge extends Error {}

function readBody(req: IncomingMessage, limit: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) {
        req.removeAllListeners('data');
        req.resume();
        reject(new BodyTooLarge());
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

/**
 * A `node:http` request handler for your callback URL: answers GET URL verification with the bare
 * plaintext, and POST events with 200 and an empty body after `await onEvent(event)`. Bad signature,
 * corpid or body → 400 with a short code (`bad_signature`, `bad_receive_id`, `malformed_xml`, …);
 * `onEvent` throwing → 500. Any path is accepted: route to it yourself.
 *
 * @example
 * import { createServer } from 'node:http';
 * import { createNodeCallbackHandler } from 'handover/receiver';
 *
 * const handler = createNodeCallbackHandler({ token, encodingAesKey, corpId }, async (event) => {
 *   if (event.ChangeType === 'add_external_contact') await crm.assign(event.ExternalUserID, event.UserID);
 * });
 * createServer(handler).listen(8080);
 */
export function createNodeCallbackHandler(
  options: NodeCallbackHandlerOptions,
  onEvent: CallbackEventHandler,
): (req: IncomingMessage, res: ServerResponse) => void {
  const receiver = createCallbackReceiver(options);
  const limit = options.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES;

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const url = new URL(req.url ?? '/', 'http://callback.invalid');
    const method = req.method ?? 'GET';
    let rawBody: Buffer;
    try {
      rawBody = method === 'POST' ? await readBody(req, limit) : Buffer.alloc(0);
    } catch (error) {
      const tooLarge = error instanceof BodyTooLarge;
      res.writeHead(tooLarge ? 413 : 400, { 'content-type': 'text/plain; charset=utf-8', connection: 'close' });
      res.end(tooLarge ? 'body too large' : 'unreadable body');
      return;
    }
    const answer = await answerCallback(receiver, method, url.searchParams, rawBody, onEvent);
    res.writeHead(answer.status, { ...answer.headers, 'content-length': Buffer.byteLength(answer.body) });
    res.end(answer.body);
  };

  return (req, res) => {
    handle(req, res).catch((error: unknown) => {
      options.onError?.(error);
      if (!res.headersSent) res.writeHead(500, { 'content-type': 'text/plain; charset=utf-8' });
      res.end('event handler failed');
    });
  };
}
