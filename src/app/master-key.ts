import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Config } from '../config.js';
import { generateMasterKey } from '../lib/secret-box.js';

/**
 * The embedded default generates its master key into the data dir on first start, so a newcomer
 * never configures one; a server database must be given one (config refuses to start without).
 */
export function resolveMasterKey(config: Config): { key: string; generated: boolean } {
  if (config.masterKey) return { key: config.masterKey, generated: false };
  const dir = path.resolve(config.dataDir);
  const file = path.join(dir, 'master.key');
  if (existsSync(file)) return { key: readFileSync(file, 'utf8').trim(), generated: false };
  mkdirSync(dir, { recursive: true });
  const key = generateMasterKey();
  writeFileSync(file, `${key}\n`, { mode: 0o600 });
  return { key, generated: true };
}
