import type { Database } from '../../src/db/database.js';
import { createAuth, type Auth } from '../../src/auth/guard.js';
import { SessionCodec } from '../../src/auth/session.js';
import { SecretBox } from '../../src/lib/secret-box.js';

/** An Auth for router-level tests: the operator's token, and sessions signed with a test key. */
export function testAuth(database: Database, adminToken: string, o: { now?: () => number; idleSeconds?: number; absoluteSeconds?: number } = {}): Auth {
  const sessions = new SessionCodec({ key: new SecretBox('router-test-master-key-0123').deriveKey('session-cookie'), ...o });
  return createAuth({ database, adminToken, defaultTenantId: 'default', sessions });
}
