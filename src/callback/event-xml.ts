import { XMLParser, XMLValidator } from 'fast-xml-parser';
import {
  CHANGE_TYPES,
  CHAT_CHANGE_TYPES,
  TRANSFER_FAIL_REASONS,
  type CallbackEvent,
  type ChangeExternalChatEvent,
  type ChangeExternalContactEvent,
  type ChangeType,
  type TransferFailReason,
} from '../wire/callback-events.js';

/**
 * The two XML layers of a callback: the decrypted event (behaviour §3) and the POST envelope that carries
 * it encrypted (behaviour §4.2). Builders emit WeCom's published element order on one line; parsers accept
 * any order and any whitespace between elements.
 */

export type CallbackXmlErrorCode = 'malformed_xml' | 'unsupported_event' | 'invalid_field';

export class CallbackXmlError extends Error {
  override readonly name = 'CallbackXmlError';
  constructor(
    readonly code: CallbackXmlErrorCode,
    message: string,
  ) {
    super(message);
  }
}

/** A CDATA section cannot contain `]]>`; close and reopen it between `]]` and `>`. */
export function cdata(value: string): string {
  return `<![CDATA[${value.replaceAll(']]>', ']]]]><![CDATA[>')}]]>`;
}

function element(name: string, value: string | number): string {
  return typeof value === 'number' ? `<${name}>${value}</${name}>` : `<${name}>${cdata(value)}</${name}>`;
}

/** Type-specific fields in the order WeCom publishes them (behaviour §3.1, §3.2, §3.4, §10.6). */
function specificFields(event: CallbackEvent): [string, string | undefined][] {
  if (event.Event === 'change_external_chat') {
    return [
      ['ChatId', event.ChatId],
      ['ChangeType', event.ChangeType],
      ['UpdateDetail', event.UpdateDetail],
    ];
  }
  switch (event.ChangeType) {
    case 'add_external_contact':
      return [
        ['UserID', event.UserID],
        ['ExternalUserID', event.ExternalUserID],
        ['State', event.State],
        ['WelcomeCode', event.WelcomeCode],
      ];
    case 'del_external_contact':
      return [
        ['UserID', event.UserID],
        ['ExternalUserID', event.ExternalUserID],
        ['Source', event.Source],
      ];
    case 'transfer_fail':
      return [
        ['FailReason', event.FailReason],
        ['UserID', event.UserID],
        ['ExternalUserID', event.ExternalUserID],
      ];
    default:
      // Outbox rows are cast from stored JSON, so an unknown ChangeType can reach here at run time.
      throw new CallbackXmlError('unsupported_event', `ChangeType "${(event as { ChangeType: unknown }).ChangeType}" has no XML form`);
  }
}

/** The decrypted event XML; strings in CDATA, `CreateTime` bare, optional fields omitted when absent. */
export function buildEventXml(event: CallbackEvent): string {
  if (!Number.isSafeInteger(event.CreateTime) || event.CreateTime < 0) {
    throw new CallbackXmlError('invalid_field', `CreateTime must be a non-negative integer, got ${event.CreateTime}`);
  }
  const parts = [
    element('ToUserName', event.ToUserName),
    element('FromUserName', event.FromUserName),
    element('CreateTime', event.CreateTime),
    element('MsgType', event.MsgType),
    element('Event', event.Event),
    // A group event carries its ChatId before the ChangeType (specificFields).
    ...(event.Event === 'change_external_chat' ? [] : [element('ChangeType', event.ChangeType)]),
  ];
  for (const [name, value] of specificFields(event)) {
    if (value !== undefined) parts.push(element(name, value));
  }
  return `<xml>${parts.join('')}</xml>`;
}

export interface CallbackEnvelope {
  /** The corpid (behaviour §4.2). */
  ToUserName: string;
  /** Only present on app-related callbacks (behaviour §4.2). */
  AgentID?: string;
  Encrypt: string;
}

/** The POST body: `<xml><ToUserName/><AgentID/><Encrypt/></xml>` (behaviour §4.2). */
export function buildEnvelopeXml(envelope: CallbackEnvelope): string {
  const agent = envelope.AgentID === undefined ? '' : element('AgentID', envelope.AgentID);
  return `<xml>${element('ToUserName', envelope.ToUserName)}${agent}${element('Encrypt', envelope.Encrypt)}</xml>`;
}

const CDATA_KEY = '#cdata';

/** CDATA is kept apart so its content is taken verbatim (no trimming, no number coercion of ids like "0123"). */
const parser = new XMLParser({
  parseTagValue: false,
  parseAttributeValue: false,
  ignoreAttributes: true,
  ignoreDeclaration: true,
  cdataPropName: CDATA_KEY,
  processEntities: true,
  htmlEntities: false,
});

function parseRoot(xml: string, what: string): Record<string, unknown> {
  const valid = XMLValidator.validate(xml);
  if (valid !== true) {
    throw new CallbackXmlError('malformed_xml', `${what} is not well-formed XML: ${valid.err.msg}`);
  }
  const doc: unknown = parser.parse(xml);
  const root = isRecord(doc) ? doc.xml : undefined;
  if (!isRecord(doc) || Object.keys(doc).length !== 1 || !isRecord(root)) {
    throw new CallbackXmlError('malformed_xml', `${what} must have a single <xml> root element with children`);
  }
  return root;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Text of a leaf element, joining split CDATA sections; `undefined` when the element is absent. */
function text(root: Record<string, unknown>, name: string): string | undefined {
  const node = root[name];
  if (node === undefined) return undefined;
  if (typeof node === 'string') return node;
  // Text mixed with CDATA is rejected: the parser keeps the two apart and their order would be lost.
  if (isRecord(node) && Object.keys(node).length === 1) {
    const pieces = node[CDATA_KEY];
    if (typeof pieces === 'string') return pieces;
    if (Array.isArray(pieces) && pieces.every((p) => typeof p === 'string')) return pieces.join('');
  }
  throw new CallbackXmlError('malformed_xml', `<${name}> must appear once and hold text only`);
}

function required(root: Record<string, unknown>, name: string): string {
  const value = text(root, name);
  if (value === undefined || value === '') {
    throw new CallbackXmlError('invalid_field', `<${name}> is missing or empty`);
  }
  return value;
}

function expectValue<T extends string>(root: Record<string, unknown>, name: string, allowed: readonly T[]): T {
  const value = required(root, name);
  if (!(allowed as readonly string[]).includes(value)) {
    throw new CallbackXmlError('invalid_field', `<${name}> is "${value}", expected ${allowed.join(' or ')}`);
  }
  return value as T;
}

/** Parses the POST body; `Encrypt` is required, element order is free (behaviour §4.2). */
export function parseEnvelopeXml(xml: string): CallbackEnvelope {
  const root = parseRoot(xml, 'callback body');
  const envelope: CallbackEnvelope = { ToUserName: text(root, 'ToUserName') ?? '', Encrypt: required(root, 'Encrypt') };
  const agentId = text(root, 'AgentID');
  if (agentId !== undefined) envelope.AgentID = agentId;
  return envelope;
}

/** A change type handover does not model is authentic WeCom traffic: `unsupported_event`, to acknowledge and skip. */
function modelledChangeType<T extends string>(root: Record<string, unknown>, event: string, modelled: readonly T[]): T {
  const changeType = required(root, 'ChangeType');
  if (!(modelled as readonly string[]).includes(changeType)) {
    throw new CallbackXmlError('unsupported_event', `ChangeType "${changeType}" of ${event} is not one handover models`);
  }
  return changeType as T;
}

/** The fields every event carries, up to `Event` (behaviour §3, self-built envelope). */
function header(root: Record<string, unknown>) {
  const createTime = required(root, 'CreateTime');
  if (!/^\d{1,15}$/.test(createTime)) {
    throw new CallbackXmlError('invalid_field', `<CreateTime> is "${createTime}", expected epoch seconds`);
  }
  return {
    ToUserName: required(root, 'ToUserName'),
    FromUserName: expectValue(root, 'FromUserName', ['sys'] as const),
    CreateTime: Number(createTime),
    MsgType: expectValue(root, 'MsgType', ['event'] as const),
  };
}

/**
 * Parses a decrypted `change_external_contact` or `change_external_chat` event into its typed form. Other
 * events and change types are authentic WeCom traffic handover does not model: they raise
 * `unsupported_event` so a receiver can acknowledge and skip them.
 */
export function parseEventXml(xml: string): CallbackEvent {
  const root = parseRoot(xml, 'event');
  const event = required(root, 'Event');
  if (event === 'change_external_chat') return parseChatEvent(root);
  if (event !== 'change_external_contact') {
    throw new CallbackXmlError('unsupported_event', `Event "${event}" is not change_external_contact or change_external_chat`);
  }
  return parseContactEvent(root);
}

/**
 * A group's `update` (behaviour §10.6: handover sends it with `UpdateDetail` `change_owner`). Another
 * `UpdateDetail` from WeCom (a member change, a new name) is passed on as it is, without its extra fields.
 */
function parseChatEvent(root: Record<string, unknown>): ChangeExternalChatEvent {
  const changeType = modelledChangeType(root, 'change_external_chat', CHAT_CHANGE_TYPES);
  return {
    ...header(root),
    Event: 'change_external_chat',
    ChatId: required(root, 'ChatId'),
    ChangeType: changeType,
    UpdateDetail: required(root, 'UpdateDetail'),
  };
}

function parseContactEvent(root: Record<string, unknown>): ChangeExternalContactEvent {
  const changeType = modelledChangeType(root, 'change_external_contact', CHANGE_TYPES);
  const common = {
    ...header(root),
    Event: 'change_external_contact' as const,
    UserID: required(root, 'UserID'),
    ExternalUserID: required(root, 'ExternalUserID'),
  };
  switch (changeType) {
    case 'add_external_contact': {
      const state = text(root, 'State');
      const welcomeCode = text(root, 'WelcomeCode');
      return {
        ...common,
        ChangeType: 'add_external_contact',
        ...(state === undefined ? {} : { State: state }),
        ...(welcomeCode === undefined ? {} : { WelcomeCode: welcomeCode }),
      };
    }
    case 'del_external_contact': {
      const source = text(root, 'Source');
      return { ...common, ChangeType: 'del_external_contact', ...(source === undefined ? {} : { Source: source }) };
    }
    case 'transfer_fail':
      return {
        ...common,
        ChangeType: 'transfer_fail',
        FailReason: expectValue<TransferFailReason>(root, 'FailReason', TRANSFER_FAIL_REASONS),
      };
  }
}
