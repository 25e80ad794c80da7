#!/usr/bin/env node
// `npm test`: type-check, then the whole mocha suite, ending with the plain line `N passed, N failed`.
// Arguments are passed to mocha (e.g. `npm test -- test/params`); --no-typecheck skips tsc.
'use strict';
const { spawnSync } = require('node:child_process');
const path = require('node:path');

const root = path.resolve(__dirname, '..');
const args = process.argv.slice(2);
const skipTypecheck = args.includes('--no-typecheck');
const mochaArgs = args.filter((a) => a !== '--no-typecheck');

if (!skipTypecheck) {
  const tsc = spawnSync(process.execPath, [require.resolve('typescript/bin/tsc'), '--noEmit', '-p', root], {
    stdio: 'inherit',
    cwd: root,
  });
  if (tsc.status !== 0) {
    console.log('type check failed');
    console.log('0 passed, 1 failed');
    process.exit(1);
  }
}

// Remember where each UDP socket and TCP server was created, so a leak named at the end says
// which test made it (HT813_TRACE_HANDLES=0 turns this off).
if (process.env.HT813_TRACE_HANDLES !== '0') {
  const dgram = require('node:dgram');
  const net = require('node:net');
  const createSocket = dgram.createSocket;
  dgram.createSocket = function (...a) {
    const s = createSocket.apply(this, a);
    s.__createdAt = new Error().stack;
    return s;
  };
  // client sockets, and the stdio pipes of child processes (a peer left running keeps them open)
  const connect = net.Socket.prototype.connect;
  net.Socket.prototype.connect = function (...a) {
    this.__createdAt ??= new Error().stack;
    return connect.apply(this, a);
  };
  const childProcess = require('node:child_process');
  const spawn = childProcess.spawn;
  childProcess.spawn = function (...a) {
    const child = spawn.apply(this, a);
    const at = new Error().stack;
    for (const s of child.stdio || []) {
      if (!s) continue;
      s.__createdAt = at;
      s.__child = String(a[0]);
    }
    return child;
  };
  const listen = net.Server.prototype.listen;
  net.Server.prototype.listen = function (...a) {
    this.__createdAt = new Error().stack;
    this.on('connection', (c) => (c.__createdAt = this.__createdAt));
    return listen.apply(this, a);
  };
}

require('tsx/cjs');
const Mocha = require('mocha');
const config = require(path.join(root, '.mocharc.json'));
const mocha = new Mocha({ timeout: config.timeout, reporter: process.env.MOCHA_REPORTER || config.reporter });

const fs = require('node:fs');
/** Every *.test.ts below dir (skipping node_modules), or the file itself. */
function collect(target, out) {
  const st = fs.statSync(target, { throwIfNoEntry: false });
  if (!st) throw new Error(`no such test path: ${target}`);
  if (st.isFile()) { out.push(target); return; }
  for (const e of fs.readdirSync(target, { withFileTypes: true })) {
    if (e.name === 'node_modules') continue;
    const p = path.join(target, e.name);
    if (e.isDirectory()) collect(p, out);
    else if (e.name.endsWith('.test.ts')) out.push(p);
  }
}
const files = [];
for (const spec of mochaArgs.length > 0 ? mochaArgs : ['test']) collect(path.resolve(root, spec), files);
files.sort();
for (const f of files) mocha.addFile(f);

mocha.run((failures) => {
  process.exitCode = failures > 0 ? 1 : 0;
}).on('end', function onEnd() {
  const { passes = 0, failures = 0, pending = 0 } = this.stats || {};
  console.log(`\n${passes} passed, ${failures} failed${pending ? `, ${pending} skipped` : ''}`);
  // A test that leaves a socket or timer behind must not hang CI: name what is left, then exit.
  setTimeout(() => {
    const left = process._getActiveHandles().map(describeHandle).filter(Boolean);
    if (left.length > 0) console.log(`left open after the suite (a test leaks them): ${left.join('; ')}`);
    process.exit(process.exitCode ?? 0);
  }, 3000).unref();
});

function describeHandle(h) {
  const where = h && h.__createdAt ? ` [${h.__createdAt.split('\n').filter((l) => l.includes('/test/') || l.includes('/cpe/')).slice(0, 4).map((l) => l.trim()).join(' < ')}]` : '';
  return describeKind(h) + (where && describeKind(h) ? where : '');
}

function describeKind(h) {
  const name = h && h.constructor ? h.constructor.name : typeof h;
  if (name === 'WriteStream' || name === 'ReadStream') return ''; // stdio on a terminal
  if (h === process.stdout || h === process.stderr || h === process.stdin) return ''; // stdio on a pipe
  if (name === 'Socket' && typeof h.remoteAddress === 'function') {
    let a = 'unbound';
    try {
      const x = h.address();
      a = `${x.address}:${x.port}`;
    } catch {}
    return `UDP socket ${a}`;
  }
  if ((name === 'Socket' || name === 'TLSSocket') && h._handle && h._handle.constructor && h._handle.constructor.name === 'Pipe') return h.__child ? `Pipe of child process ${h.__child}` : 'Pipe';
  if (name === 'Socket' || name === 'TLSSocket') return `${name} ${h.localAddress}:${h.localPort} -> ${h.remoteAddress}:${h.remotePort}`;
  if (name === 'Server') return `Server ${JSON.stringify(h.address && h.address())}`;
  if (name === 'Timeout') return `Timeout ${h._idleTimeout} ms ${h._onTimeout && h._onTimeout.name}`;
  return name;
}
