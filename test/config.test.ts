import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../src/config.js';

describe('loadConfig: admin token (issue 11, defect 7) and connection timeouts (defect 2)', () => {
  it('refuses a token under 16 characters, and under 32 with remote admin', () => {
    expect(() => loadConfig({}, { HANDOVER_ADMIN_TOKEN: 'a' })).toThrow(ConfigError);
    expect(() => loadConfig({}, { HANDOVER_ADMIN_TOKEN: 'a'.repeat(15) })).toThrow(/at least 16/);
    expect(loadConfig({}, { HANDOVER_ADMIN_TOKEN: 'a'.repeat(16) })).toMatchObject({ adminToken: 'a'.repeat(16), adminTokenSource: 'env', adminRemote: false });
    expect(() => loadConfig({}, { HANDOVER_ADMIN_TOKEN: 'a'.repeat(31), HANDOVER_ADMIN_REMOTE: 'on' })).toThrow(/at least 32 with HANDOVER_ADMIN_REMOTE=on/);
    expect(loadConfig({}, { HANDOVER_ADMIN_TOKEN: 'a'.repeat(32), HANDOVER_ADMIN_REMOTE: 'on' }).adminRemote).toBe(true);
  });

  it('generates a 32-character token when none is set, fit for remote admin', () => {
    const config = loadConfig({}, { HANDOVER_ADMIN_REMOTE: 'on' });
    expect(config.adminTokenSource).toBe('generated');
    expect(config.adminToken).toMatch(/^[A-Za-z0-9_-]{32}$/);
  });

  it('a request must arrive within 30 s by default; both timeouts are settings', () => {
    expect(loadConfig({}, {}).http).toEqual({ requestTimeoutMs: 30_000, keepAliveTimeoutMs: 72_000 });
    expect(loadConfig({}, { HANDOVER_REQUEST_TIMEOUT_MS: '5000', HANDOVER_KEEP_ALIVE_TIMEOUT_MS: '1000' }).http).toEqual({ requestTimeoutMs: 5000, keepAliveTimeoutMs: 1000 });
    expect(() => loadConfig({}, { HANDOVER_REQUEST_TIMEOUT_MS: 'soon' })).toThrow(ConfigError);
  });
});
