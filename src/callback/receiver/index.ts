/**
 * `handover/receiver`: verify, decrypt and parse WeCom customer-contact callbacks in your own service
 * (behaviour §3, §4). Works against real WeCom and against handover alike.
 */
export { createCallbackReceiver } from './receiver.js';
export type { CallbackReceiver, CallbackReceiverOptions, CallbackQuery } from './receiver.js';
export { createNodeCallbackHandler } from './node-handler.js';
export type { NodeCallbackHandlerOptions } from './node-handler.js';
export { callbackReceiverPlugin } from './fastify-plugin.js';
export type { CallbackReceiverPluginOptions } from './fastify-plugin.js';
export type { CallbackEventHandler } from './answer.js';
export { CallbackCryptoError } from '../crypto.js';
export type { CallbackCryptoErrorCode } from '../crypto.js';
export { CallbackXmlError } from '../event-xml.js';
export type { CallbackXmlErrorCode } from '../event-xml.js';
export type {
  ChangeExternalContactEvent,
  AddExternalContactEvent,
  DelExternalContactEvent,
  TransferFailEvent,
  TransferFailReason,
  ChangeType,
  ChangeExternalChatEvent,
  ChatChangeType,
  CallbackEvent,
} from '../../wire/callback-events.js';
