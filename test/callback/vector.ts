import { createCipheriv } from 'node:crypto';

/** The official test vector of 加解密方案说明 (behaviour §4.4). */
export const VECTOR = {
  token: 'QDG6eK',
  encodingAesKey: 'jWmYm7qr5nMoAUwZRjGtBxmz3KA1tkAj3ykkR6q2B2C',
  corpId: 'wx5823bf96d3bd56c7',
  timestamp: '1409659813',
  nonce: '1372623149',
  msgSignature: '477715d11cdb4164915debcba66cb864d751f3e6',
  encrypted:
    'RypEvHKD8QQKFhvQ6QleEB4J58tiPdvo+rtK1I9qca6aM/wvqnLSV5zEPeusUiX5L5X/0lWfrf0QADHHhGd3QczcdCUpj911L3vg3W/sYYvuJTs3TUUkSUXxaccAS0qhxchrRYt66wiSpGLYL42aM6A8dTT+6k4aSknmPj48kzJs8qLjvd4Xgpue06DOdnLxAUHzM6+kDZ+HMZfJYuR+LtwGc2hgf5gsijff0ekUNXZiqATP7PF5mZxZ3Izoun1s4zG4LUMnvw2r+KqCKIw+3IQH03v+BCA9nMELNqbSf6tiWSrXJB3LAVGUcallcrw8V2t9EL4EhzJWrQUax5wLVMNS0+rUPA3k22Ncx4XXZS9o0MBH27Bo6BpNelZpS+/uh9KsNlY6bHCmJU9p8g7m3fVKn28H3KDYA5Pl/T8Z1ptDAVe0lXdQ2YoyyH2uyPIGHBZZIs2pDBS8R07+qN+E7Q==',
  message:
    '<xml><ToUserName><![CDATA[wx5823bf96d3bd56c7]]></ToUserName>\n' +
    '<FromUserName><![CDATA[mycreate]]></FromUserName>\n' +
    '<CreateTime>1409659813</CreateTime>\n' +
    '<MsgType><![CDATA[text]]></MsgType>\n' +
    '<Content><![CDATA[hello]]></Content>\n' +
    '<MsgId>4561255354251345929</MsgId>\n' +
    '<AgentID>218</AgentID>\n' +
    '</xml>',
} as const;

/** Encrypts raw plaintext bytes with WeCom's key/IV but no padding of our own, to forge bad framings. */
export function encryptRaw(encodingAesKey: string, plaintext: Buffer): string {
  const key = Buffer.from(`${encodingAesKey}=`, 'base64');
  const cipher = createCipheriv('aes-256-cbc', key, key.subarray(0, 16));
  cipher.setAutoPadding(false);
  return Buffer.concat([cipher.update(plaintext), cipher.final()]).toString('base64');
}

/** random16 + len32be + message + receiveId, unpadded. */
export function frame(message: string, receiveId: string, length = Buffer.byteLength(message)): Buffer {
  const len = Buffer.alloc(4);
  len.writeUInt32BE(length, 0);
  return Buffer.concat([Buffer.alloc(16, 7), len, Buffer.from(message), Buffer.from(receiveId)]);
}

export function pad(data: Buffer, block: number): Buffer {
  const n = block - (data.length % block);
  return Buffer.concat([data, Buffer.alloc(n, n)]);
}
