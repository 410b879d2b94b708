// Baseline 1: the least a server can do with a transfer_customer request on this machine — parse the
// JSON body and echo it. Same Fastify, same catch-all parser as src/http/body-parser.ts, logger off, so
// the ratio of figure 2 to this is what handover's own work costs. Figure 5's yardstick is here too: a
// member's customer list answered from memory. Usage: node echo-server.js <list size>; prints
// "listening on <url>".
import Fastify from 'fastify';
import { customerIds } from '../lib/company.js';

const BODY_LIMIT_BYTES = 1024 * 1024;

const app = Fastify({ logger: false, bodyLimit: BODY_LIMIT_BYTES });
app.removeAllContentTypeParsers();
app.addContentTypeParser('*', { parseAs: 'string', bodyLimit: BODY_LIMIT_BYTES }, (_request, body, done) => {
  const text = body.replace(/^\uFEFF/, '');
  if (text.trim() === '') return done(null, {});
  try {
    done(null, JSON.parse(text));
  } catch (error) {
    done(error, undefined);
  }
});
app.post('/cgi-bin/externalcontact/transfer_customer', async (request) => request.body);
const list = customerIds(Number(process.argv[2] ?? 5000));
app.get('/cgi-bin/externalcontact/list', async () => ({ errcode: 0, errmsg: 'ok', external_userid: list }));

const address = await app.listen({ port: 0, host: '127.0.0.1' });
process.stdout.write(`listening on ${address}\n`);
for (const signal of ['SIGINT', 'SIGTERM']) {
  process.once(signal, () => void app.close().then(() => process.exit(0)));
}
