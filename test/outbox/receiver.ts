import { createServer, type IncomingMessage, type Server } from 'node:http';
import { Readable } from 'node:stream';
import { parseEnvelopeXml } from '../../src/callback/event-xml.js';
import { createNodeCallbackHandler } from '../../src/callback/receiver/index.js';
import type { ChangeExternalChatEvent, ChangeExternalContactEvent } from '../../src/wire/callback-events.js';

export const CALLBACK_TOKEN = 'handoverTestToken';
export const CALLBACK_KEY = 'jWmYm7qr5nMoAUwZRjGtBxmz3KA1tkAj3ykkR6q2B2C';

/** `hang`: takes the POST and never answers (a sender that dies mid-request). */
export type ReceiverMode = 'ok' | 'fail' | 'slow' | 'hang' | 'wrong-echo';

export interface TestReceiver {
  url: string;
  /** Customer events (`change_external_contact`) received, in order. */
  events: ChangeExternalContactEvent[];
  /** Group events (`change_external_chat`, behaviour §10.6) received, in order. */
  chatEvents: ChangeExternalChatEvent[];
  agentIds: string[];
  /** POSTs seen, including failed ones. */
  attempts: number;
  mode: ReceiverMode;
  slowMs: number;
  close(): Promise<void>;
}

/**
 * A real callback endpoint on 127.0.0.1 built on handover's own receiver helper (so the helper is tested
 * end to end too), with switchable misbehaviour: answer 500, answer late, or echo the wrong plaintext.
 */
export async function startReceiver(corpId: string): Promise<TestReceiver> {
  const receiver: TestReceiver = { url: '', events: [], chatEvents: [], agentIds: [], attempts: 0, mode: 'ok', slowMs: 500, close: async () => undefined };
  const handler = createNodeCallbackHandler({ token: CALLBACK_TOKEN, encodingAesKey: CALLBACK_KEY, corpId }, (event) => {
    if (event.Event === 'change_external_chat') receiver.chatEvents.push(event);
    else receiver.events.push(event);
  });
  const server: Server = createServer(async (req, res) => {
    if (req.method === 'GET' && receiver.mode === 'wrong-echo') return void res.end('"not the echo"');
    if (req.method !== 'POST') return handler(req, res);
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const body = Buffer.concat(chunks);
    receiver.attempts++;
    if (receiver.mode === 'fail') return void res.writeHead(500).end();
    if (receiver.mode === 'hang') return;
    if (receiver.mode === 'slow') await new Promise((resolve) => setTimeout(resolve, receiver.slowMs));
    receiver.agentIds.push(parseEnvelopeXml(body.toString('utf8')).AgentID ?? '');
    const replay = Object.assign(Readable.from([body]), { url: req.url, method: req.method, headers: req.headers }) as unknown as IncomingMessage;
    handler(replay, res);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  receiver.url = `http://127.0.0.1:${port}/wecom/callback`;
  receiver.close = () =>
    new Promise((resolve) => {
      server.close(() => resolve());
      // Hanging requests (and keep-alive sockets) would otherwise hold close() open.
      server.closeAllConnections();
    });
  return receiver;
}

/** Polls `check` until it holds. The deadline only bounds a failure: generous, so a loaded machine (load 20 on 2 cores seen) cannot fail a passing test. */
export async function waitFor(check: () => boolean | Promise<boolean>, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`condition not met within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
