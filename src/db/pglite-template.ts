import { existsSync, readFileSync, readdirSync, renameSync, rmSync, writeFileSync, mkdtempSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { PGlite } from '@electric-sql/pglite';

// A fresh PGlite data dir costs an initdb (7 s idle, 18–24 s on a loaded machine). `npm run build`
// runs it once and keeps the result as a tarball in dist/; a first start on an empty data dir unpacks
// it (3–4 s loaded) instead. The file is named after the PGlite version that made it, so an upgraded
// PGlite never loads another version's data dir (it falls back to initdb until the next build).
const DIST = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../dist');

function pgliteVersion(): string {
  let dir = path.dirname(createRequire(import.meta.url).resolve('@electric-sql/pglite'));
  for (;;) {
    const file = path.join(dir, 'package.json');
    if (existsSync(file)) {
      const pkg = JSON.parse(readFileSync(file, 'utf8')) as { name?: string; version?: string };
      if (pkg.name === '@electric-sql/pglite' && pkg.version) return pkg.version;
    }
    const up = path.dirname(dir);
    if (up === dir) return 'unknown';
    dir = up;
  }
}

export function templatePath(): string {
  return path.join(DIST, `pglite-template-${pgliteVersion()}.tar.gz`);
}

/** The template's bytes for an empty data dir, or undefined (not built, or the dir already has data). */
export function templateFor(dataDir: string): Blob | undefined {
  if (readdirSync(dataDir).length > 0) return undefined;
  const file = templatePath();
  return existsSync(file) ? new Blob([readFileSync(file)]) : undefined;
}

/** Runs initdb once in a scratch dir and writes the tarball (atomically) for templateFor. */
export async function buildTemplate(): Promise<string> {
  const file = templatePath();
  const scratch = mkdtempSync(path.join(tmpdir(), 'kelu-pglite-template-'));
  try {
    const pg = await PGlite.create(path.join(scratch, 'pglite'));
    const dump = await pg.dumpDataDir('gzip');
    await pg.close();
    writeFileSync(`${file}.tmp`, Buffer.from(await dump.arrayBuffer()));
    renameSync(`${file}.tmp`, file);
    return file;
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}
