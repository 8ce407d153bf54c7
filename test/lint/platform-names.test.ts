import { describe, expect, it } from '@jest/globals';
import { readdirSync } from 'node:fs';
import path from 'node:path';
import { ESLint } from 'eslint';

// The lint rule that keeps platform names in src/adapters: a probe naming a platform in the core
// fails it, the same text inside an adapter folder passes, and the tree as it is passes.
const root = path.resolve(import.meta.dirname, '../..');
const eslint = new ESLint({ cwd: root });
const platforms = readdirSync(path.join(root, 'src/adapters'), { withFileTypes: true }).filter((d) => d.isDirectory()).map((d) => d.name);

async function ruleErrors(code: string, file: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath: path.join(root, file) });
  return result!.messages.filter((m) => m.ruleId === 'no-restricted-syntax' || m.ruleId === 'no-restricted-imports').map((m) => `${m.line}:${m.ruleId}`);
}

describe('no platform names outside src/adapters', () => {
  it('knows every adapter folder as a platform', () => {
    expect(platforms.length).toBeGreaterThanOrEqual(2);
  });

  it.each(['src/bot/probe.ts', 'src/crm/probe.ts', 'src/api/probe.ts', 'src/queue/probe.ts', 'src/db/probe.ts', 'src/app/probe.ts', 'src/channel/probe.ts', 'src/admin/probe.ts', 'src/auth/probe.ts', 'src/sidebar/probe.ts', 'src/lib/probe.ts', 'src/cli/probe.ts', 'src/config.ts', 'src/main.ts', 'src/server.ts'])('fails a probe in %s', async (file) => {
    for (const name of platforms) {
      const code = [
        `export const a = '${name}';`,
        `export const b = \`to ${name.toUpperCase()} \${a}\`;`,
        `export { c } from '../adapters/${name}/${name}.adapter.js';`,
      ].join('\n');
      expect(await ruleErrors(code, file)).toEqual(expect.arrayContaining(['1:no-restricted-syntax', '2:no-restricted-syntax', '3:no-restricted-imports']));
    }
  });

  it('passes the same probe inside an adapter folder, and platform-free core code', async () => {
    for (const name of platforms) {
      expect(await ruleErrors(`export const a = '${name}';\nexport const b = \`${name} \${a}\`;`, `src/adapters/${name}/probe.ts`)).toEqual([]);
    }
    expect(await ruleErrors(`export const kind = 'wechat_id';\nexport const p = event.platform;\n`, 'src/bot/probe.ts')).toEqual([]);
    // The composition root reaches adapters only through their list.
    expect(await ruleErrors(`export { adapters } from '../adapters/index.js';\n`, 'src/app/probe.ts')).toEqual([]);
  });

  it('passes on the tree', async () => {
    const results = await eslint.lintFiles(['src']);
    const problems = results.flatMap((r) => r.messages.filter((m) => m.severity === 2).map((m) => `${path.relative(root, r.filePath)}:${m.line} ${m.ruleId}`));
    expect(problems).toEqual([]);
  }, 120_000);
});
