import type { Fixture, FixtureRelation } from '../wire/admin.js';
import { demoGroupChats } from './demo-group-chats.js';

export const DEMO = Object.freeze({
  corpid: 'wwhandoverdemo0001',
  agentid: 1000002,
  secret: 'handover-demo-secret-0001',
  handover: 'zhangsan',
  takeover: 'lisi',
});

const MEMBERS = [
  ['zhangsan', '张三'],
  ['lisi', '李四'],
  ['wangwu', '王五'],
  ['zhaoliu', '赵六'],
  ['sunqi', '孙七'],
  ['zhouba', '周八'],
] as const;

export const DEMO_CUSTOMER_COUNT = 2000;

/** `wmDemo` + a zero-padded number: recognisable in logs and stable between runs. */
export function demoCustomerId(index: number): string {
  return `wmDemo${String(index).padStart(6, '0')}`;
}

/**
 * The `--demo` company: 6 members, 2,000 customers spread round-robin over the first five (zhouba has none),
 * one self-built app allowed to call customer contact. Deterministic, so README examples keep working.
 */
export function demoCompany(): Fixture {
  const customers = Array.from({ length: DEMO_CUSTOMER_COUNT }, (_, i) => ({
    external_userid: demoCustomerId(i + 1),
    name: `客户${i + 1}`,
    type: (i % 10 === 0 ? 2 : 1) as 1 | 2,
    ...(i % 10 === 0 ? { corp_name: '腾讯', corp_full_name: '腾讯科技有限公司' } : {}),
    gender: (i % 3) as 0 | 1 | 2,
  }));
  const relations: FixtureRelation[] = customers.map((customer, i) => ({
    userid: MEMBERS[i % 5]![0],
    external_userid: customer.external_userid,
    remark: `${customer.name}（老客户）`,
    description: 'demo',
    tags: [{ group_name: '客户等级', tag_name: i % 2 === 0 ? '重要' : '一般', type: 1 }],
    createtime: 1_700_000_000 + i * 60,
    add_way: 1,
  }));
  return {
    corps: [
      {
        corpid: DEMO.corpid,
        name: 'handover 演示公司',
        apps: [{ agentid: DEMO.agentid, secret: DEMO.secret, kind: 'self_built', customer_contact_callable: true, visible_userids: ['*'] }],
        members: MEMBERS.map(([userid, name]) => ({ userid, name })),
        customers,
        relations,
        groupchats: demoGroupChats(),
      },
    ],
  };
}
