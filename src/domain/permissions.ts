import type { App, AppPermission } from './types.js';

/** Which family of customer-contact APIs a call belongs to: each needs its own permission (behaviour §0, §6). */
export type ApiFamily = 'onjob_transfer' | 'resigned_transfer' | 'any_transfer' | 'customer_read' | GroupChatApiFamily;

/** Customer groups (behaviour §10.6): reading them, and the two transfers with their third-party permissions. */
export type GroupChatApiFamily = 'groupchat_read' | 'onjob_groupchat_transfer' | 'resigned_groupchat_transfer';

/** Behaviour §10.6: group reads need 客户基础信息 or either group-transfer permission. */
const GROUP_READ_PERMISSIONS: readonly AppPermission[] = ['customer_basic', 'onjob_groupchat_transfer', 'resigned_groupchat_transfer'];

/**
 * Behaviour §9.1.2: a self-built app must be in the customer-contact "可调用应用" list; a third-party app needs
 * the matching permission. Reading customers needs 客户基础信息 (`customer_basic`); an app granted in-service
 * inheritance can read the customers it transfers as well, so `onjob_transfer` also opens the read APIs.
 */
export function mayCall(app: App, family: ApiFamily): boolean {
  if (app.kind === 'self_built') return app.customerContactCallable;
  if (family === 'onjob_transfer') return app.permissions.includes('onjob_transfer');
  // Behaviour §10.2: get_unassigned_list and the resigned family need 离职继承 (`resigned_transfer`).
  if (family === 'resigned_transfer') return app.permissions.includes('resigned_transfer');
  // The deprecated calls of behaviour §10.7 serve both kinds: either inheritance permission opens them.
  if (family === 'any_transfer') return app.permissions.includes('onjob_transfer') || app.permissions.includes('resigned_transfer');
  if (family === 'onjob_groupchat_transfer' || family === 'resigned_groupchat_transfer') return app.permissions.includes(family);
  if (family === 'groupchat_read') return GROUP_READ_PERMISSIONS.some((p) => app.permissions.includes(p));
  return app.permissions.includes('customer_basic') || app.permissions.includes('onjob_transfer');
}

/** Apps see only members in their visible range (behaviour §6); `*` is the whole corp. */
export function isVisible(app: App, userid: string): boolean {
  return app.visibleUserids.includes('*') || app.visibleUserids.includes(userid);
}
