import type Router from '@koa/router';
import type { AdapterInstance, AnyAdapter } from '../channel/adapter.js';
import type { SignInProviders } from '../auth/signin.js';
import { chatRouter } from './chat.routes.js';
import { customerRouter } from './customer.routes.js';
import { archiveRouter } from './archive.routes.js';
import { repliesRouter } from './replies.routes.js';
import { sidebarPagesRouter } from './sidebar.pages.js';
import type { SidebarDeps, SidebarPlatform } from './sidebar.context.js';

/** The platforms whose adapters describe a page bridge, as the sidebar uses them. */
export function sidebarPlatforms(list: readonly AnyAdapter[], instances: Map<string, AdapterInstance>): SidebarPlatform[] {
  return list.flatMap((a) => {
    const i = instances.get(a.name);
    if (!i?.pageBridge) return [];
    return [{
      platform: a.name, label: a.label, bridge: i.pageBridge, contactIdentity: a.contactIdentity, accountKind: a.accountKinds[0],
      ...(i.signJsSdk ? { signJsSdk: i.signJsSdk.bind(i) } : {}),
      ...(i.fetchContactProfile ? { fetchContactProfile: i.fetchContactProfile.bind(i) } : {}),
    }];
  });
}

/** The sidebar's page and its JSON API. */
export function sidebarRouters(deps: SidebarDeps & { providers: SignInProviders }): Router[] {
  return [
    sidebarPagesRouter({ database: deps.database, auth: deps.auth, providers: deps.providers, platforms: deps.platforms }),
    chatRouter(deps), customerRouter(deps), archiveRouter(deps), repliesRouter(deps),
  ];
}
