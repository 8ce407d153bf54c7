import js from '@eslint/js';
import tseslint from 'typescript-eslint';

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
    files: ['src/crm/**/*.ts', 'src/bot/**/*.ts'],
    rules: { 'no-restricted-imports': ['error', { patterns: ['../adapters/*', '../../adapters/*'] }] },
  },
);
