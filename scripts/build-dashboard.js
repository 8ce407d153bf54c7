#!/usr/bin/env node
// Part of `npm run build`: bundles the dashboard's script (ECharts, imported modularly) into
// dist/views/dashboard.js after tsc has compiled dist/, and prints its size.
import process from 'node:process';
import { writeDashboardBundle } from '../dist/dashboard/bundle.js';

const { bytes, gzipBytes } = await writeDashboardBundle();
process.stdout.write(`dashboard.js ${bytes} bytes, ${gzipBytes} gzipped\n`);
