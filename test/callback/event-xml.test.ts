import { describe, it, expect } from 'vitest';
import {
  buildEnvelopeXml,
  buildEventXml,
  CallbackXmlError,
  cdata,
  parseEnvelopeXml,
  parseEventXml,
} from '../../src/callback/event-xml.js';
import type {
  AddExternalContactEvent,
  ChangeExternalChatEvent,
  DelExternalContactEvent,
  TransferFailEvent,
} from '../../src/wire/callback-events.js';

const envelope = {
  ToUserName: 'toUser',
  FromUserName: 'sys',
  CreateTime: 1403610513,
  MsgType: 'event',
  Event: 'change_external_contact',
} as const;

const add: AddExternalContactEvent = {
  ...envelope,
  ChangeType: 'add_external_contact',
  UserID: 'zhangsan',
  ExternalUserID: 'woAJ2GCAAAXtWyujaWJHDDGi0mAAAA',
  State: 'teststate',
  WelcomeCode: 'WELCOMECODE',
};

const del: DelExternalContactEvent = {
  ...envelope,
  ChangeType: 'del_external_contact',
  UserID: 'zhangsan',
  ExternalUserID: 'woAJ2GCAAAXtWyujaWJHDDGi0mACH71w',
  Source: 'DELETE_BY_TRANSFER',
};

const fail: TransferFailEvent = {
  ...envelope,
  ChangeType: 'transfer_fail',
  FailReason: 'customer_refused',
  UserID: 'zhangsan',
  ExternalUserID: 'woAJ2GCAAAXtWyujaWJHDDGi0mAAAA',
};

const chat: ChangeExternalChatEvent = {
  ...envelope,
  Event: 'change_external_chat',
  ChatId: 'wrOgQhDgAAMYQiS5ol9G7gK9JVAAAA',
  ChangeType: 'update',
  UpdateDetail: 'change_owner',
};

const HEAD =
  '<xml><ToUserName><![CDATA[toUser]]></ToUserName><FromUserName><![CDATA[sys]]></FromUserName>' +
  '<CreateTime>1403610513</CreateTime><MsgType><![CDATA[event]]></MsgType>' +
  '<Event><![CDATA[change_external_contact]]></Event>';

function codeOf(fn: () => unknown): string {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(CallbackXmlError);
    return (error as CallbackXmlError).code;
  }
  throw new Error('expected a CallbackXmlError, nothing was thrown');
}

describe('buildEventXml (behaviour §3)', () => {
  it('add_external_contact equals the published example', () => {
    expect(buildEventXml(add)).toBe(
      HEAD +
        '<ChangeType><![CDATA[add_external_contact]]></ChangeType>' +
        '<UserID><![CDATA[zhangsan]]></UserID><ExternalUserID><![CDATA[woAJ2GCAAAXtWyujaWJHDDGi0mAAAA]]></ExternalUserID>' +
        '<State><![CDATA[teststate]]></State><WelcomeCode><![CDATA[WELCOMECODE]]></WelcomeCode></xml>',
    );
  });

  it('add_external_contact as handover sends it: no State, no WelcomeCode (behaviour §9.2)', () => {
    const { State: _s, WelcomeCode: _w, ...bare } = add;
    expect(buildEventXml(bare)).toBe(
      HEAD +
        '<ChangeType><![CDATA[add_external_contact]]></ChangeType>' +
        '<UserID><![CDATA[zhangsan]]></UserID><ExternalUserID><![CDATA[woAJ2GCAAAXtWyujaWJHDDGi0mAAAA]]></ExternalUserID></xml>',
    );
  });

  it('del_external_contact carries Source after the ids', () => {
    expect(buildEventXml(del)).toBe(
      HEAD +
        '<ChangeType><![CDATA[del_external_contact]]></ChangeType>' +
        '<UserID><![CDATA[zhangsan]]></UserID><ExternalUserID><![CDATA[woAJ2GCAAAXtWyujaWJHDDGi0mACH71w]]></ExternalUserID>' +
        '<Source><![CDATA[DELETE_BY_TRANSFER]]></Source></xml>',
    );
  });

  it('transfer_fail puts FailReason before the ids, as published', () => {
    expect(buildEventXml(fail)).toBe(
      HEAD +
        '<ChangeType><![CDATA[transfer_fail]]></ChangeType>' +
        '<FailReason><![CDATA[customer_refused]]></FailReason><UserID><![CDATA[zhangsan]]></UserID>' +
        '<ExternalUserID><![CDATA[woAJ2GCAAAXtWyujaWJHDDGi0mAAAA]]></ExternalUserID></xml>',
    );
  });

  it('splits ]]> inside CDATA and round-trips it', () => {
    expect(cdata('a]]>b')).toBe('<![CDATA[a]]]]><![CDATA[>b]]>');
    const tricky = { ...add, UserID: 'x]]><evil/>]]>y', State: '' };
    const xml = buildEventXml(tricky);
    expect(xml).toContain('<UserID><![CDATA[x]]]]><![CDATA[><evil/>]]]]><![CDATA[>y]]></UserID>');
    expect(parseEventXml(xml)).toEqual(tricky);
  });

  it('refuses a ChangeType it has no XML form for', () => {
    const edit = { ...add, ChangeType: 'edit_external_contact' } as unknown as AddExternalContactEvent;
    expect(codeOf(() => buildEventXml(edit))).toBe('unsupported_event');
  });

  it('rejects a non-integer CreateTime', () => {
    expect(codeOf(() => buildEventXml({ ...fail, CreateTime: 1.5 }))).toBe('invalid_field');
  });
});

describe('buildEnvelopeXml (behaviour §4.2)', () => {
  it('emits ToUserName, AgentID, Encrypt', () => {
    expect(buildEnvelopeXml({ ToUserName: 'wwcorp', AgentID: '1000002', Encrypt: 'abc+/=' })).toBe(
      '<xml><ToUserName><![CDATA[wwcorp]]></ToUserName><AgentID><![CDATA[1000002]]></AgentID>' +
        '<Encrypt><![CDATA[abc+/=]]></Encrypt></xml>',
    );
    expect(buildEnvelopeXml({ ToUserName: 'wwcorp', Encrypt: 'abc' })).toBe(
      '<xml><ToUserName><![CDATA[wwcorp]]></ToUserName><Encrypt><![CDATA[abc]]></Encrypt></xml>',
    );
  });
});

describe('parseEventXml', () => {
  it('round-trips each event type', () => {
    for (const event of [add, del, fail]) expect(parseEventXml(buildEventXml(event))).toEqual(event);
  });

  it('ignores element order and whitespace, and reads plain text as well as CDATA', () => {
    const xml = `<xml>
      <ExternalUserID><![CDATA[woAJ2GCAAAXtWyujaWJHDDGi0mAAAA]]></ExternalUserID>
      <UserID>zhangsan</UserID>
      <FailReason><![CDATA[customer_limit_exceed]]></FailReason>
      <ChangeType><![CDATA[transfer_fail]]></ChangeType>
      <CreateTime>1403610513</CreateTime>
      <Event><![CDATA[change_external_contact]]></Event>
      <MsgType><![CDATA[event]]></MsgType>
      <FromUserName><![CDATA[sys]]></FromUserName>
      <ToUserName><![CDATA[toUser]]></ToUserName>
    </xml>`;
    expect(parseEventXml(xml)).toEqual({ ...fail, FailReason: 'customer_limit_exceed' });
  });

  it('keeps ids verbatim: no number coercion, no trimming inside CDATA', () => {
    const xml = buildEventXml({ ...del, UserID: '007', ExternalUserID: ' wm 1 ' });
    const parsed = parseEventXml(xml);
    if (parsed.Event !== 'change_external_contact') throw new Error(`expected a customer event, got ${parsed.Event}`);
    expect(parsed.UserID).toBe('007');
    expect(parsed.ExternalUserID).toBe(' wm 1 ');
    expect(parsed.CreateTime).toBe(1403610513);
  });

  it('del_external_contact without Source parses with Source absent', () => {
    const { Source: _s, ...bare } = del;
    expect(parseEventXml(buildEventXml(bare))).toEqual(bare);
    expect('Source' in parseEventXml(buildEventXml(bare))).toBe(false);
  });

  it('rejects malformed XML, wrong fields and unsupported events', () => {
    expect(codeOf(() => parseEventXml('not xml'))).toBe('malformed_xml');
    expect(codeOf(() => parseEventXml('<xml><a>1</a>'))).toBe('malformed_xml');
    expect(codeOf(() => parseEventXml('<root><a>1</a></root>'))).toBe('malformed_xml');
    expect(codeOf(() => parseEventXml(buildEventXml(fail).replace('</xml>', '<UserID>again</UserID></xml>')))).toBe(
      'malformed_xml',
    );
    expect(codeOf(() => parseEventXml(buildEventXml(fail).replace('customer_refused', 'customer_bored')))).toBe(
      'invalid_field',
    );
    expect(codeOf(() => parseEventXml(buildEventXml(fail).replace('[sys]', '[someone]')))).toBe('invalid_field');
    expect(codeOf(() => parseEventXml(buildEventXml(fail).replace('1403610513', '14036x')))).toBe('invalid_field');
    expect(codeOf(() => parseEventXml(buildEventXml(fail).replace('<UserID><![CDATA[zhangsan]]></UserID>', '')))).toBe(
      'invalid_field',
    );
    expect(codeOf(() => parseEventXml(buildEventXml(add).replace('[add_external_contact]', '[edit_external_contact]')))).toBe(
      'unsupported_event',
    );
    expect(codeOf(() => parseEventXml(buildEventXml(add).replace('[change_external_contact]', '[change_external_chat]')))).toBe(
      'unsupported_event',
    );
  });
});

describe('parseEventXml: change_external_chat (behaviour §10.6)', () => {
  it('parses the owner change handover sends into its typed form, and round-trips it', () => {
    // docs/callbacks.md's example, as the outbox delivers it.
    const documented =
      '<xml><ToUserName><![CDATA[wwhandoverdemo0001]]></ToUserName><FromUserName><![CDATA[sys]]></FromUserName><CreateTime>1796067285</CreateTime>' +
      '<MsgType><![CDATA[event]]></MsgType><Event><![CDATA[change_external_chat]]></Event><ChatId><![CDATA[wrDemoGroup03]]></ChatId>' +
      '<ChangeType><![CDATA[update]]></ChangeType><UpdateDetail><![CDATA[change_owner]]></UpdateDetail></xml>';
    const parsed: ChangeExternalChatEvent = { ...chat, ToUserName: 'wwhandoverdemo0001', CreateTime: 1796067285, ChatId: 'wrDemoGroup03' };
    expect(parseEventXml(documented)).toEqual(parsed);
    expect(buildEventXml(parsed)).toBe(documented);
    expect(parseEventXml(buildEventXml(chat))).toEqual(chat);
  });

  it('takes any element order, and passes another UpdateDetail of an update on as it is', () => {
    const xml = `<xml>
      <UpdateDetail>add_member</UpdateDetail><ChangeType><![CDATA[update]]></ChangeType><ChatId>wrX</ChatId>
      <MemChangeCnt>1</MemChangeCnt><Event>change_external_chat</Event><MsgType>event</MsgType>
      <CreateTime>1403610513</CreateTime><FromUserName>sys</FromUserName><ToUserName>toUser</ToUserName>
    </xml>`;
    expect(parseEventXml(xml)).toEqual({ ...chat, ChatId: 'wrX', UpdateDetail: 'add_member' });
  });

  it('skips the group change types handover does not model; refuses a group event without ChatId or UpdateDetail', () => {
    for (const changeType of ['create', 'dismiss']) {
      expect(codeOf(() => parseEventXml(buildEventXml(chat).replace('[update]', `[${changeType}]`)))).toBe('unsupported_event');
    }
    expect(codeOf(() => parseEventXml(buildEventXml({ ...chat, ChatId: '' })))).toBe('invalid_field');
    expect(codeOf(() => parseEventXml(buildEventXml(chat).replace(/<UpdateDetail>.*<\/UpdateDetail>/, '')))).toBe('invalid_field');
    expect(codeOf(() => parseEventXml(buildEventXml(chat).replace('[sys]', '[someone]')))).toBe('invalid_field');
  });
});

describe('parseEnvelopeXml', () => {
  it('accepts the official order ToUserName, Encrypt, AgentID', () => {
    const xml =
      '<xml><ToUserName><![CDATA[wx5823bf96d3bd56c7]]></ToUserName>\n<Encrypt><![CDATA[RypE+/==]]></Encrypt>\n' +
      '<AgentID><![CDATA[218]]></AgentID>\n</xml>';
    expect(parseEnvelopeXml(xml)).toEqual({ ToUserName: 'wx5823bf96d3bd56c7', AgentID: '218', Encrypt: 'RypE+/==' });
  });

  it('requires Encrypt', () => {
    expect(codeOf(() => parseEnvelopeXml('<xml><ToUserName>a</ToUserName></xml>'))).toBe('invalid_field');
    expect(codeOf(() => parseEnvelopeXml(''))).toBe('malformed_xml');
  });
});
