import type { App } from './types.js';

/** Which family of customer-contact APIs a call belongs to: each needs its own permission (behaviour §0, §6). */
export type ApiFamily = 'onjob_transfer' | 'customer_read';

/**
 * Behaviour §9.1.2: a self-built app must be in the customer-contact "可调用应用" list; a third-party app needs
 * the matching permission. Reading customers needs 客户基础信息 (`customer_basic`); an app granted in-service
 * inheritance can read the customers it transfers as well, so `onjob_transfer` also opens the read APIs.
 */
export function mayCall(app: App, family: ApiFamily): boolean {
  if (app.kind === 'self_built') return app.customerContactCallable;
  if (family === 'onjob_transfer') return app.permissions.includes('onjob_transfer');
  return app.permissions.includes('customer_basic') || app.permissions.includes('onjob_transfer');
}

/** Apps see only members in their visible range (behaviour §6); `*` is the whole corp. */
export function isVisible(app: App, userid: string): boolean {
  return app.visibleUserids.includes('*') || app.visibleUserids.includes(userid);
}
