import type { Tx } from '../db/database.js';
import type { OutboundMessage, Reply } from '../channel/messages.js';
import type { User } from '../crm/users.repo.js';
import type { TenantInfoCache } from './tenant-info.js';
import { listUsers } from '../crm/users.repo.js';

/** Where a CRM user can be reached in chat; the composition root knows the platform columns. */
export interface Address {
  platform: string;
  userId: string;
}

export interface FlowDeps {
  tenantInfo: TenantInfoCache;
  addressOf(user: User, preferredPlatform?: string): Address | null;
  now(): Date;
}

export function toUser(deps: FlowDeps, tenantId: string, user: User, reply: Reply, preferredPlatform?: string): OutboundMessage | null {
  const a = deps.addressOf(user, preferredPlatform);
  return a ? { platform: a.platform, tenantId, to: { userIds: [a.userId] }, reply } : null;
}

export async function managersOf(tx: Tx, tenantId: string): Promise<User[]> {
  const page = await listUsers(tx, tenantId, { role: 'manager' }, { limit: 200 });
  return page.items.filter((u) => u.active);
}

export function compact<T>(list: (T | null | undefined)[]): T[] {
  return list.filter((x): x is T => x != null);
}
