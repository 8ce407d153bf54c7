import { mkdirSync } from 'node:fs';
import { chromium, type Browser, type Locator } from 'playwright-core';
import { waitFor } from './harness.js';

// Debian's Chromium, driven by playwright-core; the flags keep it off the network this machine does not have.
const CHROMIUM = process.env.KELU_CHROMIUM ?? '/usr/bin/chromium';
const ARGS = ['--no-sandbox', '--disable-background-networking', '--disable-component-update', '--no-first-run'];

/** A headless Chromium for a page test file, with its screenshot folder made. */
export function launchBrowser(shotsDir: string): Promise<Browser> {
  mkdirSync(shotsDir, { recursive: true });
  return chromium.launch({ executablePath: CHROMIUM, args: ARGS });
}

/** Waits on the page's state (polling a condition, never a fixed sleep): the first match contains s. 20 s: only a failure waits that long, and a loaded 2-core CI machine can take 10. */
export const textIn = (loc: Locator, s: string) => waitFor(async () => (await loc.count()) > 0 && (await loc.first().innerText()).includes(s), 20_000, `"${s}" in ${loc.toString()}`);

/** Waits until the locator matches exactly n elements. */
export const countOf = (loc: Locator, n: number) => waitFor(async () => (await loc.count()) === n, 20_000, `${n} of ${loc.toString()}`);
