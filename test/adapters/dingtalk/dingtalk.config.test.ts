import { describe, expect, it } from '@jest/globals';
import { loadConfig } from '../../../src/config.js';
import { bootstrapDefaultTenant } from '../../../src/app/bootstrap.js';
import { ChannelDirectory } from '../../../src/app/channels.js';
import type { DingtalkEnv } from '../../../src/adapters/dingtalk/dingtalk.config.js';
import { openTestDatabase } from '../../helpers/test-db.js';
import { box } from '../../helpers/harness.js';
import { captureLogger } from '../../helpers/test-app.js';

const AES = 'o1w0aum42yaptlz8alnhwikjd3jenzt9cb9wmzptgus';
const app = { DINGTALK_APP_KEY: 'dk', DINGTALK_APP_SECRET: 'ds' };

describe('DingTalk configuration', () => {
  it('reads event subscription and card template settings into the default channel', () => {
    const c = loadConfig({ ...app, DINGTALK_ROBOT_CODE: 'rc', DINGTALK_EVENT_TOKEN: 'tok', DINGTALK_EVENT_AES_KEY: AES, DINGTALK_CARD_TEMPLATE_ID: 'tpl.schema' });
    expect(c.adapters.dingtalk!.defaultCredentials).toEqual({ appKey: 'dk', appSecret: 'ds', robotCode: 'rc', eventToken: 'tok', eventAesKey: AES, cardTemplateId: 'tpl.schema' });
    expect(loadConfig(app).adapters.dingtalk!.defaultCredentials).toEqual({ appKey: 'dk', appSecret: 'ds' });
  });

  it('refuses half an event subscription, a malformed aes key, and event secrets without the app', () => {
    expect(() => loadConfig({ ...app, DINGTALK_EVENT_TOKEN: 'tok' })).toThrow(/DINGTALK_EVENT_AES_KEY/);
    expect(() => loadConfig({ ...app, DINGTALK_EVENT_AES_KEY: AES })).toThrow(/DINGTALK_EVENT_TOKEN/);
    expect(() => loadConfig({ ...app, DINGTALK_EVENT_TOKEN: 'tok', DINGTALK_EVENT_AES_KEY: 'short' })).toThrow(/43-character/);
    expect(() => loadConfig({ DINGTALK_EVENT_TOKEN: 'tok', DINGTALK_EVENT_AES_KEY: AES })).toThrow(/DINGTALK_APP_KEY/);
  });

  it('bootstrap seals every DingTalk setting into the default tenant', async () => {
    const t = await openTestDatabase('pglite');
    try {
      const config = loadConfig({ ...app, DINGTALK_EVENT_TOKEN: 'tok', DINGTALK_EVENT_AES_KEY: AES, DINGTALK_CARD_TEMPLATE_ID: 'tpl' });
      await bootstrapDefaultTenant(config, t.database, box, captureLogger().logger);
      const ch = await new ChannelDirectory(t.database, box).get<DingtalkEnv>('default', 'dingtalk');
      expect(ch?.creds).toEqual({ appKey: 'dk', appSecret: 'ds', eventToken: 'tok', eventAesKey: AES, cardTemplateId: 'tpl' });
      expect(ch?.tenant.channels.dingtalk).not.toContain('tok');
    } finally {
      await t.drop();
    }
  });
});
