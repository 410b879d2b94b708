import type { Fixture } from '../../src/wire/admin.js';
import { CALLBACK_KEY, CALLBACK_TOKEN } from '../outbox/receiver.js';

export const CONSOLE_CORP = 'wwconsolecorp0001';
export const CONSOLE_SECRET = 'console-test-secret-0001';

/**
 * The E2E company: Chinese names (the console must render them), 张三 (zhangsan) holds wm001…wm012,
 * 李四 (lisi) takes over, 王五 (wangwu) holds the bystander wmBystander; the app calls back to `callbackUrl`.
 */
export function consoleCompany(callbackUrl: string): Fixture {
  const ids = Array.from({ length: 12 }, (_, i) => `wm${String(i + 1).padStart(3, '0')}`);
  return {
    corps: [
      {
        corpid: CONSOLE_CORP,
        name: '控制台测试公司',
        apps: [
          {
            agentid: 1000002,
            secret: CONSOLE_SECRET,
            kind: 'self_built',
            customer_contact_callable: true,
            visible_userids: ['*'],
            callback: { url: callbackUrl, token: CALLBACK_TOKEN, encoding_aes_key: CALLBACK_KEY },
          },
        ],
        members: [
          { userid: 'zhangsan', name: '张三' },
          { userid: 'lisi', name: '李四' },
          { userid: 'wangwu', name: '王五' },
        ],
        customers: [
          ...ids.map((id, i) => ({ external_userid: id, name: `客户${i + 1}`, type: 1 as const })),
          { external_userid: 'wmBystander', name: '旁观者', type: 1 },
        ],
        relations: [
          ...ids.map((id, i) => ({
            userid: 'zhangsan',
            external_userid: id,
            remark: `老客户${i + 1}`,
            tags: [{ group_name: '客户等级', tag_name: i % 2 === 0 ? '重要' : '一般', type: 1 as const }],
          })),
          { userid: 'wangwu', external_userid: 'wmBystander', remark: '不动' },
        ],
      },
    ],
  };
}

/** A second, small corp for the import step. */
export function importedCompany(): Fixture {
  return {
    corps: [
      {
        corpid: 'wwimportedcorp001',
        name: '导入的公司',
        apps: [{ agentid: 1000009, secret: 'imported-secret-0001', kind: 'self_built', customer_contact_callable: true }],
        members: [{ userid: 'zhaoliu', name: '赵六' }],
        customers: [{ external_userid: 'wmImported1', name: '导入客户', type: 1 }],
        relations: [{ userid: 'zhaoliu', external_userid: 'wmImported1' }],
      },
    ],
  };
}
