import { describe, expect, it } from '@jest/globals';
import { loadConfig } from '../../../src/config.js';

describe('Wechaty configuration', () => {
  it('has no assistant unless WECHATY_PUPPET is set, and seeds the default tenant with it', () => {
    expect(loadConfig({}).adapters.wechaty).toEqual({ env: { backoffMs: 2000, maxBackoffMs: 60_000 }, defaultCredentials: undefined });
    expect(loadConfig({ WECHATY_PUPPET: 'wechaty-puppet-wechat4u' }).adapters.wechaty!.defaultCredentials).toEqual({ puppet: 'wechaty-puppet-wechat4u' });
    expect(loadConfig({ WECHATY_PUPPET: 'wechaty-puppet-service', WECHATY_PUPPET_SERVICE_TOKEN: 'puppet_token_123' }).adapters.wechaty!.defaultCredentials)
      .toEqual({ puppet: 'wechaty-puppet-service', token: 'puppet_token_123' });
  });

  it('refuses puppet-service without a token, a token without a puppet, and a name that is not a puppet, without echoing the token', () => {
    expect(() => loadConfig({ WECHATY_PUPPET: 'wechaty-puppet-service' })).toThrow(/WECHATY_PUPPET_SERVICE_TOKEN/);
    let msg = '';
    try {
      loadConfig({ WECHATY_PUPPET_SERVICE_TOKEN: 'secret-puppet-token' });
    } catch (e) {
      msg = (e as Error).message;
    }
    expect(msg).toMatch(/needs WECHATY_PUPPET/);
    expect(msg).not.toContain('secret-puppet-token');
    expect(() => loadConfig({ WECHATY_PUPPET: 'left-pad' })).toThrow(/WECHATY_PUPPET/);
  });
});
