#!/usr/bin/env node
// Part of `npm run build`: the PGlite data dir template a first start unpacks instead of running
// initdb (see src/db/pglite-template.ts). Needs dist/ compiled first.
import process from 'node:process';
import { buildTemplate } from '../dist/db/pglite-template.js';

const t0 = Date.now();
const file = await buildTemplate();
process.stderr.write(`kelu: PGlite template ${file} (${Date.now() - t0} ms)\n`);
