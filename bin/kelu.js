#!/usr/bin/env node
import process from 'node:process';

// Runs the CLI compiled ahead of time into dist/ (npm run build, run by `prepare` on npm install/ci):
// no TypeScript is compiled at run time.
try {
  await import('../dist/cli/kelu.cli.js');
} catch (err) {
  if (err?.code !== 'ERR_MODULE_NOT_FOUND' || !String(err.message).includes('dist/cli')) throw err;
  process.stderr.write('kelu: dist/ is missing; run `npm run build` (npm install and npm ci run it)\n');
  process.exitCode = 1;
}
