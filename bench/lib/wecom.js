// The few one-off calls the figures need around the load (token, clock, a check), over the public wire.
// node:http rather than fetch: fetch gives up on a response that takes over 300 s to start, and the
// clock advance of figure 4 is allowed to take as long as BENCH_SETUP_SECONDS.
import http from 'node:http';
import { CORP } from './company.js';

function call(url, { method = 'GET', headers = {}, body, timeoutSeconds = 60 } = {}) {
  return new Promise((resolve, reject) => {
    const request = http.request(url, { method, headers, timeout: timeoutSeconds * 1000 }, (response) => {
      const chunks = [];
      response.on('data', (chunk) => chunks.push(chunk));
      response.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        if (response.statusCode !== 200) return reject(new Error(`${method} ${url} answered HTTP ${response.statusCode}: ${text.slice(0, 300)}`));
        try {
          resolve(JSON.parse(text));
        } catch {
          reject(new Error(`${method} ${url} answered no JSON: ${text.slice(0, 300)}`));
        }
      });
      response.on('error', reject);
    });
    request.on('timeout', () => request.destroy(new Error(`${method} ${url}: no answer within ${timeoutSeconds} s`)));
    request.on('error', reject);
    request.end(body);
  });
}

export async function accessToken(base) {
  const body = await call(`${base}/cgi-bin/gettoken?corpid=${CORP.corpid}&corpsecret=${CORP.secret}`);
  if (body.errcode !== 0) throw new Error(`gettoken answered ${body.errcode} ${body.errmsg}`);
  return body.access_token;
}

/** `externalcontact/list` of one member: its customers' external_userids. */
export async function listCustomers(base, token, userid, timeoutSeconds) {
  const body = await call(`${base}/cgi-bin/externalcontact/list?access_token=${encodeURIComponent(token)}&userid=${encodeURIComponent(userid)}`, { timeoutSeconds });
  if (body.errcode !== 0) throw new Error(`list ${userid} answered ${body.errcode} ${body.errmsg}`);
  return body.external_userid;
}

/** A WeCom POST call; answers whatever errcode it gets (the caller decides what an error means). */
export function post(base, token, path, body, timeoutSeconds = 60) {
  return call(`${base}${path}?access_token=${encodeURIComponent(token)}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body), timeoutSeconds });
}

export function admin(base, token, timeoutSeconds) {
  const headers = { authorization: `Bearer ${token}`, 'content-type': 'application/json' };
  return {
    clock: () => call(`${base}/admin/clock`, { headers }),
    advance: (seconds) => call(`${base}/admin/clock`, { method: 'POST', headers, body: JSON.stringify({ advance_seconds: seconds }), timeoutSeconds }),
  };
}
