import type { AccountRef } from './adapter.js';

/**
 * Optional adapter capability: people sign in through the platform, without the core naming it.
 * The page asks `mode` how to get a code (an OAuth redirect via `start`, or in-app with the
 * platform's JS API), and the server exchanges the code for the person's accounts (`resolveCode`).
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
  resolveCode(tenantId: string, code: string): Promise<AccountRef[]>;
  /** The callback paths to paste into the platform's console for this tenant. */
  callbackPaths(tenantId: string): string[];
  /** Proves the stored credentials work (gets an access token); throws when they do not. */
  testConnection(tenantId: string): Promise<void>;
}

export type SignInStart = { kind: 'redirect'; url: string } | { kind: 'jsapi'; api: string; params: Record<string, string> };

/**
 * The adapter members a platform with sign-in gets from it: the provider itself, the callback paths
 * to paste into its console, and "test connection" (an access token obtained proves the credentials).
 */
export function signInMembers(signIn: SignInProvider) {
  return {
    signIn,
    callbackPaths: (tenantId: string) => signIn.callbackPaths(tenantId),
    async testConnection(tenantId: string) {
      await signIn.testConnection(tenantId);
      return { ok: true, state: 'connected', message: '连接成功：已取得 access_token' } as const;
    },
  };
}
