import type { FixtureGroupChat } from '../wire/group-chats.js';
import { demoCustomerId } from './demo-company.js';

/**
 * The `--demo` company's customer groups (behaviour §10.6): 张三 owns two, 王五 one; each holds its owner, a
 * colleague and a few of the owner's customers. Deterministic, so README examples keep working.
 */
export function demoGroupChats(): FixtureGroupChat[] {
  const group = (index: number, owner: string, name: string, colleague: string, customers: number[]): FixtureGroupChat => ({
    chat_id: `wrDemoGroup${String(index).padStart(2, '0')}`,
    name,
    owner,
    create_time: 1_700_000_000 + index * 3600,
    notice: `${name}群公告`,
    members: [
      { userid: owner, type: 1, join_time: 1_700_000_000 + index * 3600, join_scene: 1 },
      { userid: colleague, type: 1, join_time: 1_700_000_100 + index * 3600, join_scene: 1, invitor: owner },
      ...customers.map((i) => ({ userid: demoCustomerId(i), type: 2 as const, join_time: 1_700_000_200 + index * 3600, join_scene: 3, invitor: owner })),
    ],
    admins: [colleague],
  });
  return [group(1, 'zhangsan', '张三的VIP客户群', 'wangwu', [1, 6, 11]), group(2, 'zhangsan', '张三的售后群', 'lisi', [16, 21]), group(3, 'wangwu', '王五的客户群', 'zhangsan', [3, 8])];
}
