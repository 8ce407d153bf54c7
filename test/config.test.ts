import { describe, expect, it } from '@jest/globals';
import { loadConfig, ConfigError } from '../src/config.js';

describe('config', () => {
  it('has working defaults for the embedded start', () => {
    const c = loadConfig({});
    expect(c).toMatchObject({ port: 3000, dataDir: './data', logLevel: 'info', databaseUrl: undefined });
    expect(c.adapters.wecom!.env).toEqual({ apiBase: 'https://qyapi.weixin.qq.com' });
    expect(c.adapters.wecom!.defaultCredentials).toBeUndefined();
  });

  it('names every invalid variable at once', () => {
    try {
      loadConfig({ PORT: 'eighty', LOG_LEVEL: 'loud', DATABASE_URL: 'mysql://x' });
      throw new Error('should have thrown');
    } catch (e) {
      expect(e).toBeInstanceOf(ConfigError);
      const msg = (e as Error).message;
      expect(msg).toContain('PORT');
      expect(msg).toContain('LOG_LEVEL');
      expect(msg).toContain('DATABASE_URL');
    }
  });

  it('requires a master key with a server database', () => {
    expect(() => loadConfig({ DATABASE_URL: 'postgres://127.0.0.1/kelu' })).toThrow(/KELU_MASTER_KEY/);
    expect(loadConfig({ DATABASE_URL: 'postgres://127.0.0.1/kelu', KELU_MASTER_KEY: 'k'.repeat(32) }).databaseUrl).toBe('postgres://127.0.0.1/kelu');
  });

  it('refuses a half-configured channel and never echoes secret values', () => {
    let msg = '';
    try {
      loadConfig({ WECOM_CORP_ID: 'ww1', WECOM_SECRET: 'super-secret-value' });
    } catch (e) {
      msg = (e as Error).message;
    }
    expect(msg).toMatch(/WECOM_TOKEN/);
    expect(msg).not.toContain('super-secret-value');
    expect(() => loadConfig({ DINGTALK_APP_KEY: 'k' })).toThrow(/DINGTALK_APP_SECRET/);
    expect(() => loadConfig({ WECOM_ENCODING_AES_KEY: 'short', WECOM_CORP_ID: 'a', WECOM_AGENT_ID: '1', WECOM_SECRET: 's', WECOM_TOKEN: 't' })).toThrow(/43-character/);
  });

  it('builds channel settings when all variables are present', () => {
    const c = loadConfig({
      WECOM_CORP_ID: 'ww1', WECOM_AGENT_ID: '1000002', WECOM_SECRET: 's', WECOM_TOKEN: 't', WECOM_ENCODING_AES_KEY: 'a'.repeat(43),
      DINGTALK_APP_KEY: 'dk', DINGTALK_APP_SECRET: 'ds', DINGTALK_STREAM: 'on',
    });
    expect(c.adapters.wecom!.defaultCredentials).toMatchObject({ corpId: 'ww1' });
    expect(c.adapters.dingtalk!.defaultCredentials).toMatchObject({ appKey: 'dk' });
    expect(c.adapters.dingtalk!.env).toMatchObject({ stream: true });
  });
});
