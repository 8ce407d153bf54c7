import type { SignInProvider } from '../channel/sign-in.js';

export type { SignInProvider, SignInStart } from '../channel/sign-in.js';

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
