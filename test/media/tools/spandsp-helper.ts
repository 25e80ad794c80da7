/** Builds one of the C helpers of this folder against spandsp (gcc + libspandsp-dev, .ci/deps/media.list) in a temporary folder. */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

export interface SpandspHelper {
  /** The executable. */
  readonly path: string;
  remove(): void;
}

export function buildSpandspHelper(name: 'g726-spandsp' | 'g722-spandsp' | 'fax-spandsp'): SpandspHelper {
  const dir = mkdtempSync(path.join(os.tmpdir(), `${name}-`));
  const exe = path.join(dir, name);
  // the fax machine reads and writes TIFF pages through libtiff, which spandsp links
  const libs = name === 'fax-spandsp' ? ['-lspandsp', '-ltiff'] : ['-lspandsp'];
  const cc = spawnSync('gcc', ['-O2', '-o', exe, path.join(__dirname, `${name}.c`), ...libs], { encoding: 'utf8' });
  if (cc.status !== 0) {
    rmSync(dir, { recursive: true, force: true });
    throw new Error(`cannot build the spandsp helper (install gcc and libspandsp-dev, .ci/deps/media.list):\n${cc.stderr}`);
  }
  return { path: exe, remove: () => rmSync(dir, { recursive: true, force: true }) };
}
