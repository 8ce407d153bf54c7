import { readdirSync } from 'node:fs';
import { URL } from 'node:url';
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

// The platforms are the folders of src/adapters: a new adapter folder is a new forbidden name.
const platforms = readdirSync(new URL('./src/adapters/', import.meta.url), { withFileTypes: true })
  .filter((d) => d.isDirectory())
  .map((d) => d.name);
const named = `/(${platforms.join('|')})/i`;
const platformMessage = 'no platform names outside src/adapters: grow the PlatformAdapter contract (src/channel/adapter.ts) instead';

export default tseslint.config(
  { ignores: ['node_modules/', 'data/', 'dist/', 'coverage/', 'views/**/*.js'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/no-explicit-any': 'off',
    },
  },
  {
    // Layering: nlp is pure; bot and crm never name a platform.
    files: ['src/nlp/**/*.ts'],
    rules: { 'no-restricted-imports': ['error', { patterns: ['../crm/*', '../bot/*', '../adapters/*', '../db/*', '../server*', 'pg', 'koa', '@electric-sql/*'] }] },
  },
  {
    // The core names no platform, in strings or imports; only the adapter list (src/adapters/index.ts) is imported.
    files: ['src/bot/**/*.ts', 'src/crm/**/*.ts', 'src/api/**/*.ts', 'src/queue/**/*.ts', 'src/db/**/*.ts', 'src/app/**/*.ts', 'src/channel/**/*.ts', 'src/admin/**/*.ts', 'src/auth/**/*.ts', 'src/sidebar/**/*.ts', 'src/lib/**/*.ts', 'src/cli/**/*.ts', 'src/config.ts', 'src/main.ts', 'src/server.ts'],
    rules: {
      'no-restricted-syntax': ['error',
        { selector: `Literal[value=${named}]`, message: platformMessage },
        { selector: `TemplateElement[value.raw=${named}]`, message: platformMessage },
      ],
      'no-restricted-imports': ['error', { patterns: [{ regex: '(^|/)adapters/(?!index\\.js$)', message: platformMessage }] }],
    },
  },
  {
    files: ['src/crm/**/*.ts', 'src/bot/**/*.ts', 'src/queue/**/*.ts', 'src/db/**/*.ts', 'src/api/**/*.ts', 'src/channel/**/*.ts'],
    rules: { 'no-restricted-imports': ['error', { patterns: [{ regex: '(^|/)adapters/', message: 'the core does not import adapters; the composition root (src/app) does, through src/adapters/index.ts' }] }] },
  },
);
