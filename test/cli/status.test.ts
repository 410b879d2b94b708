import { describe, expect, it } from 'vitest';
import { CliFailure } from '../../src/cli/io.js';
import { runStatus } from '../../src/cli/status-command.js';
import { runTransfer } from '../../src/cli/transfer-run.js';
import { CORP, customerIds, SECRET } from '../support/company.js';
import { useCompanyServer } from '../support/company-server.js';
import { bufferIo } from '../support/cli-io.js';

describe('handover transfer status --watch against a real server', () => {
  const server = useCompanyServer(30);
  const connection = () => ({ corpid: CORP, secret: SECRET, baseUrl: server.baseUrl });

  it('repeats until nothing waits', async () => {
    const token = await server.token(CORP, SECRET);
    await server.wecom('POST', '/cgi-bin/externalcontact/transfer_customer', {
      query: { access_token: token },
      body: { handover_userid: 'alice', takeover_userid: 'bob', external_userid: customerIds(30) },
    });
    const io = bufferIo();
    let rounds = 0;
    const watching = runStatus({ from: 'alice', to: 'bob', ...connection(), watch: true, intervalSeconds: 0.2 }, {
      ...io,
      out: (text) => {
        io.out(text);
        // After the first round, let the 24 h pass: the takeovers complete before the clock call answers.
        if (++rounds === 1) void server.admin('POST', '/admin/clock', { advance_seconds: 86_400 });
      },
    });
    const counts = await watching;
    expect(counts).toEqual({ waiting: 0, done: 30, refused: 0, 'takeover full': 0 });
    const lines = io.output.trim().split('\n');
    expect(lines[0]).toMatch(/^alice → bob: 30 waiting, 0 done, 0 refused, 0 takeover full; next takeover due/);
    expect(lines.at(-1)).toBe('alice → bob: 0 waiting, 30 done, 0 refused, 0 takeover full');
  });

  it('a pair with no transfers counts zero; a message over 200 characters is refused before anything is sent', async () => {
    expect(await runStatus({ from: 'alice', to: 'carol', ...connection() }, bufferIo())).toEqual({ waiting: 0, done: 0, refused: 0, 'takeover full': 0 });
    const error = await runTransfer({ from: 'alice', to: 'carol', ...connection(), all: true, message: 'é'.repeat(201) }, bufferIo()).catch((e) => e);
    expect(error).toBeInstanceOf(CliFailure);
    expect(error).toMatchObject({ exitCode: 2, message: expect.stringMatching(/--message is 201 characters; WeCom takes at most 200/) });
  });
});
