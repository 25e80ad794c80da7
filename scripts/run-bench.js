#!/usr/bin/env node
// `npm run bench [-- name ...]`: runs bench/<name>.ts (all of them by default), one process each.
// The benchmarks run on the tsc build, as the production image runs (HT813_DIST=1): tsx compiles
// with esbuild's keepNames, which renames every named closure at creation (Object.defineProperty)
// and costs the fleet benchmarks a quarter of their speed. BENCH_TSX=1 runs the sources instead.
'use strict';
const { spawnSync } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');

const root = path.join(__dirname, '..');
const dir = path.join(root, 'bench');
const wanted = process.argv.slice(2);
const files = fs
  .readdirSync(dir)
  .filter((f) => f.endsWith('.ts') && !f.startsWith('_'))
  .filter((f) => wanted.length === 0 || wanted.includes(f.replace(/\.ts$/, '')))
  .sort();

const fromSources = process.env.BENCH_TSX === '1';
const out = path.join(root, '.tmp', 'bench-build');

/** Non-TypeScript files (fixtures, scenarios, golden vectors) linked beside the compiled code. */
function mirrorAssets(src, dst) {
  for (const e of fs.readdirSync(src, { withFileTypes: true })) {
    if (e.name === 'node_modules') continue;
    const s = path.join(src, e.name);
    const d = path.join(dst, e.name);
    if (e.isDirectory()) mirrorAssets(s, d);
    else if (!e.name.endsWith('.ts')) {
      fs.mkdirSync(dst, { recursive: true });
      fs.rmSync(d, { force: true });
      fs.symlinkSync(s, d);
    }
  }
}

if (!fromSources) {
  fs.rmSync(out, { recursive: true, force: true });
  const tsc = spawnSync(process.execPath, [require.resolve('typescript/bin/tsc'), '-p', root, '--outDir', out], { stdio: 'inherit', cwd: root });
  if (tsc.status !== 0) {
    console.error('bench: the build failed');
    process.exit(1);
  }
  for (const d of ['cpe', 'test', 'bench', 'acs-fixtures']) mirrorAssets(path.join(root, d), path.join(out, d));
}
console.log(fromSources ? 'running the TypeScript sources through tsx' : `running the tsc build in ${path.relative(root, out)}`);

let failed = 0;
for (const f of files) {
  console.log(`\n=== bench/${f} ===`);
  const args = fromSources
    ? ['--require', 'tsx/cjs', '--expose-gc', path.join(dir, f)]
    : ['--enable-source-maps', '--expose-gc', path.join(out, 'bench', f.replace(/\.ts$/, '.js'))];
  const r = spawnSync(process.execPath, args, { stdio: 'inherit' });
  if (r.status !== 0) failed++;
}
process.exitCode = failed > 0 ? 1 : 0;
