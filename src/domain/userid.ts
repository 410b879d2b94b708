/** WeCom userids: 1–64 characters of letters, digits, `-`, `_`, `.`, `@` (behaviour §1.2, 40003). */
const USERID_PATTERN = /^[A-Za-z0-9_.@-]{1,64}$/;

export function isValidUserid(userid: string): boolean {
  return USERID_PATTERN.test(userid);
}
