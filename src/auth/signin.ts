import type { PlatformAccount } from '../crm/users.repo.js';

/**
 * How people sign in through a chat platform, without naming one: each adapter that supports it
 * registers a provider (src/adapters/<platform>/*.signin.ts). The page asks `start` how to get a
 * code (an OAuth redirect, or a code the page fetches in-app with the platform's JS API), and the
 * server exchanges the code for the person's accounts with `resolveCode`.
 */
export interface SignInProvider {
  platform: string;
  /** The platform's name as people know it (shown on pages). */
  label: string;
  /** User-Agent marker of the platform's in-app browser (pages choose the provider by it). */
  userAgent: RegExp;
  /** How the page gets a code: by redirecting to the platform (OAuth), or in-app with its JS API. */
  mode: 'redirect' | 'jsapi';
  /** Origins the pages must allow for this platform: its JS API script, the apps that frame our pages. */
  pageOrigins: { script: string[]; frame: string[] };
  /** Whether the tenant has this platform configured. */
  configured(tenantId: string): Promise<boolean>;
  /** How the page obtains a code. */
  start(tenantId: string, redirectUri: string, state: string): Promise<SignInStart>;
  /**
   * The accounts a code proves. Throws AppError invalid_code (401) for a code the platform refuses
   * (expired, used, issued to another corp) and platform_unavailable (502) when it cannot be asked.
   */
  resolveCode(tenantId: string, code: string): Promise<PlatformAccount[]>;
  /** The callback paths to paste into the platform's console for this tenant. */
  callbackPaths(tenantId: string): string[];
  /** Proves the stored credentials work (gets an access token); throws when they do not. */
  testConnection(tenantId: string): Promise<void>;
}

export type SignInStart = { kind: 'redirect'; url: string } | { kind: 'jsapi'; api: string; params: Record<string, string> };

export class SignInProviders {
  private readonly byPlatform = new Map<string, SignInProvider>();

  register(p: SignInProvider): void {
    this.byPlatform.set(p.platform, p);
  }

  get(platform: string): SignInProvider | undefined {
    return this.byPlatform.get(platform);
  }

  all(): SignInProvider[] {
    return [...this.byPlatform.values()];
  }

  async configuredFor(tenantId: string): Promise<SignInProvider[]> {
    const out: SignInProvider[] = [];
    for (const p of this.all()) if (await p.configured(tenantId)) out.push(p);
    return out;
  }
}
