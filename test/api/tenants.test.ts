import { describe, expect, it, beforeAll, afterAll } from '@jest/globals';
import { sql } from 'drizzle-orm';
import { backends, openTestDatabase, type TestDatabase } from '../helpers/test-db.js';
import { seedTenant, startHarness, WECOM, type Harness } from '../helpers/harness.js';
import { WecomCrypto } from '../../src/adapters/wecom/wecom.crypto.js';
import { json } from '../helpers/test-app.js';

// A second company: its own corp, token and key, configured through the admin API only.
const ACME = { corpId: 'wwacme0000000042', agentId: '1000009', secret: 'acme-app-secret-0001', token: 'AcmeTok3n', encodingAesKey: 'abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG' };

describe.each(backends)('tenants and channel credentials through the admin API on %s', (backend) => {
  let t: TestDatabase;
  let h: Harness;
  beforeAll(async () => {
    t = await openTestDatabase(backend);
    await seedTenant(t.database);
    h = await startHarness(t.database);
  });
  afterAll(async () => {
    await h?.close();
    await t?.drop();
  });

  const put = (path: string, body: unknown, token = 'harness-admin-token-0123') =>
    fetch(`${h.server.url}/api/v1/tenants${path}`, { method: 'PUT', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body: JSON.stringify(body) });
  const verifyUrl = (tenant: string, creds: { token: string; encodingAesKey: string; corpId: string }) => {
    const c = new WecomCrypto(creds.token, creds.encodingAesKey);
    const echostr = c.encrypt('7365429911', creds.corpId);
    const ts = String(Math.floor(Date.now() / 1000));
    return fetch(`${h.server.url}/wecom/callback/${tenant}?msg_signature=${c.signature(ts, 'n1', echostr)}&timestamp=${ts}&nonce=n1&echostr=${encodeURIComponent(echostr)}`);
  };

  it('creates a tenant, stores its WeCom credentials sealed, and its callback URL verifies with them at once', async () => {
    expect((await verifyUrl('acme', ACME)).status).toBe(404); // unknown tenant

    const created = await put('/acme', { name: '艾克美医疗', timeZone: 'Asia/Shanghai' });
    expect(created.status).toBe(201);
    expect(await json(created)).toMatchObject({ tenantId: 'acme', name: '艾克美医疗', timeZone: 'Asia/Shanghai', channels: [] });
    expect((await put('/acme', { name: '艾克美医疗器械' })).status).toBe(200);

    const set = await put('/acme/channels/wecom', ACME);
    expect(set.status).toBe(200);
    const answer = JSON.stringify(await json(set));
    expect(answer).not.toContain(ACME.secret);
    expect(answer).not.toContain(ACME.encodingAesKey);

    const ok = await verifyUrl('acme', ACME);
    expect(ok.status).toBe(200);
    expect(await ok.text()).toBe('7365429911');
    // The default tenant's credentials do not open acme's URL, nor acme's the default one.
    expect((await verifyUrl('acme', WECOM)).status).toBe(401);
    expect((await verifyUrl('default', ACME)).status).toBe(401);

    const view = await json(await fetch(`${h.server.url}/api/v1/tenants/acme`, { headers: { authorization: 'Bearer harness-admin-token-0123' } }));
    expect(view).toMatchObject({ tenantId: 'acme', name: '艾克美医疗器械', channels: ['wecom'] });
    const [row] = await t.database.query<{ channels: Record<string, string> }>(sql`select channels from tenants where tenant_id = 'acme'`);
    expect(JSON.stringify(row!.channels)).not.toContain(ACME.secret);
    const audit = await t.database.query<{ action: string; after: unknown }>(sql`select action, after from audit_log where tenant_id = 'acme' order by id`);
    expect(audit.map((a) => a.action)).toEqual(['tenant.create', 'tenant.channel.set']);
    expect(JSON.stringify(audit)).not.toContain(ACME.secret);
    // Nothing secret reached the logs either.
    expect(h.logs.join('\n')).not.toContain(ACME.secret);

    // Rotating the token takes effect without a restart.
    expect((await put('/acme/channels/wecom', { ...ACME, token: 'RotatedTok' })).status).toBe(200);
    expect((await verifyUrl('acme', ACME)).status).toBe(401);
    expect((await verifyUrl('acme', { ...ACME, token: 'RotatedTok' })).status).toBe(200);
  });

  it('rejects bad input with a code and no echo of secrets, and needs the admin token', async () => {
    const bad = await put('/acme/channels/wecom', { ...ACME, encodingAesKey: 'short-secret-key' });
    expect(bad.status).toBe(400);
    const body = await bad.text();
    expect(body).toContain('invalid_body');
    expect(body).not.toContain('short-secret-key');
    expect((await put('/Bad Id!', { name: 'x' })).status).toBe(400);
    expect((await put('/acme', { name: 'x', timeZone: 'Mars/Olympus' })).status).toBe(400);
    expect((await put('/acme/channels/telegram', {})).status).toBe(400);
    expect((await put('/nobody/channels/wecom', ACME)).status).toBe(404);
    expect((await put('/acme/channels/dingtalk', { appKey: 'k', appSecret: 's', eventToken: 't' })).status).toBe(400);
    expect((await put('/acme', { name: 'x' }, 'wrong-token-wrong-token')).status).toBe(401);
  });
});
