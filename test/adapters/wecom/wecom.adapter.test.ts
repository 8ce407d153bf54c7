import { describe, expect, it } from '@jest/globals';
import { openTestDatabase } from '../../helpers/test-db.js';
import { seedTenant, startHarness, WECOM } from '../../helpers/harness.js';
import { jsSdkSignature } from '../../../src/adapters/wecom/wecom.client.js';

describe('the WeCom adapter\'s optional capabilities', () => {
  it('signs a page URL for the JS-SDK with the corp and agent tickets, and says what it can show', async () => {
    const t = await openTestDatabase('pglite');
    const h = await startHarness(t.database, { startWorkers: false });
    try {
      await seedTenant(t.database);
      const wecom = h.runtime.platforms.get('wecom')!;
      expect(wecom.capabilities).toEqual({ cards: true, todos: false });
      expect(h.runtime.platforms.get('wechaty')!.capabilities.cards).toBe(false);
      const url = 'https://kelu.example.com/sidebar?x=1#/customer/42';
      const s = await wecom.signJsSdk!('default', url);
      expect(s).toMatchObject({ appId: WECOM.corpId, agentId: WECOM.agentId });
      const tickets = h.wecom.calls('/cgi-bin/get_jsapi_ticket').length + h.wecom.calls('/cgi-bin/ticket/get').length;
      expect(tickets).toBe(2);
      // The fake numbers what it hands out (tokens too); each signature is over one of its tickets of that kind.
      const sign = (ticket: string) => jsSdkSignature({ ticket, nonceStr: s.nonceStr, timestamp: s.timestamp, url });
      const signed = (kind: string) => [1, 2, 3, 4, 5].map((n) => sign(`${kind}_ticket_${n}`));
      expect(signed('corp')).toContain(s.signature);
      expect(signed('agent')).toContain(s.agentSignature);
      expect(s.signature).not.toBe(s.agentSignature);
      // Tickets are cached: a second page costs no ticket call.
      await wecom.signJsSdk!('default', url);
      expect(h.wecom.calls('/cgi-bin/get_jsapi_ticket').length + h.wecom.calls('/cgi-bin/ticket/get').length).toBe(2);
      await expect(wecom.signJsSdk!('nobody', url)).rejects.toMatchObject({ retryable: false });
    } finally {
      await h.close();
      await t.drop();
    }
  });
});
