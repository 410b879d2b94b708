import type { FastifyPluginAsync } from 'fastify';
import { answerCallback, type CallbackEventHandler } from './answer.js';
import { createCallbackReceiver, type CallbackQuery, type CallbackReceiverOptions } from './receiver.js';

export interface CallbackReceiverPluginOptions extends CallbackReceiverOptions {
  /** Route for both GET verification and POST events, e.g. `/wecom/callback`. */
  path: string;
  onEvent: CallbackEventHandler;
}

/**
 * A Fastify plugin serving your callback URL with the same answers as `createNodeCallbackHandler`.
 * Register it without `fastify-plugin`: its raw-string body parser (WeCom posts XML, with or without a
 * content type) then stays inside the plugin and your JSON routes keep their parsers. An `onEvent`
 * error goes to Fastify's error handler (500), so the sender retries.
 *
 * @example
 * import Fastify from 'fastify';
 * import { callbackReceiverPlugin } from 'handover/receiver';
 *
 * const app = Fastify();
 * await app.register(callbackReceiverPlugin, {
 *   path: '/wecom/callback', token, encodingAesKey, corpId,
 *   onEvent: async (event) => { console.log(event.ChangeType, event.ExternalUserID); },
 * });
 */
export const callbackReceiverPlugin: FastifyPluginAsync<CallbackReceiverPluginOptions> = async (app, options) => {
  const receiver = createCallbackReceiver(options);

  app.removeAllContentTypeParsers();
  app.addContentTypeParser('*', { parseAs: 'string' }, (_request, body, done) => done(null, body));

  app.route<{ Querystring: Record<string, string | string[] | undefined>; Body: string | undefined }>({
    method: ['GET', 'POST'],
    url: options.path,
    handler: async (request, reply) => {
      const answer = await answerCallback(
        receiver,
        request.method,
        request.query as CallbackQuery,
        request.body ?? '',
        options.onEvent,
      );
      reply.code(answer.status).headers(answer.headers ?? {});
      return reply.send(answer.body);
    },
  });
};
