#!/usr/bin/env node
// `npm start`: bring dist/ up to date with src/ (build-changed.js: only changed files, esbuild), then
// run the server in this same process. package.json `exec`s this script, so npm's shell is replaced by
// it and the SIGTERM/SIGINT npm forwards reaches the server itself; one Node start, not two.
import './build-changed.js';

await import('../dist/main.js');
