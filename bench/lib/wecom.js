// The few one-off calls the figures need around the load (token, clock), over the public wire only.
import { CORP } from './company.js';

async function call(url, init) {
  const response = await fetch(url, init);
  const text = await response.text();
  if (!response.ok) throw new Error(`${init?.method ?? 'GET'} ${url} answered HTTP ${response.status}: ${text.slice(0, 300)}`);
  return JSON.parse(text);
}

export async function accessToken(base) {
  const body = await call(`${base}/cgi-bin/gettoken?corpid=${CORP.corpid}&corpsecret=${CORP.secret}`);
  if (body.errcode !== 0) throw new Error(`gettoken answered ${body.errcode} ${body.errmsg}`);
  return body.access_token;
}

export function admin(base, token) {
  const headers = { authorization: `Bearer ${token}`, 'content-type': 'application/json' };
  return {
    clock: () => call(`${base}/admin/clock`, { headers }),
    advance: (seconds) => call(`${base}/admin/clock`, { method: 'POST', headers, body: JSON.stringify({ advance_seconds: seconds }) }),
  };
}
