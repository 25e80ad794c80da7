/** The web service inside a real Device: boot, reboot and factory reset from the web UI. */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Device } from '../../cpe/device';
import { CapturingLogger } from '../../cpe/shared/logger';
import { createWebService } from '../../cpe/web/web-service';
import { freePort } from '../support/ports';
import { WebClient } from './http-client';

async function until(what: string, ok: () => boolean, ms = 10_000): Promise<void> {
  const end = Date.now() + ms;
  while (!ok()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

describe('web UI in a Device', () => {
  let dir: string;
  let device: Device;
  let port: number;

  beforeEach(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ht813-webdev-'));
    port = await freePort();
    device = new Device({
      dataDir: dir,
      mac: '00:0B:82:12:34:56',
      ports: { web: port },
      log: new CapturingLogger(),
      durability: 'normal',
      services: [{ name: 'web', create: createWebService }],
    });
    await device.boot();
  });
  afterEach(async () => {
    await device.shutdown();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('publishes its URL, and comes back on the same port after a reboot from the UI', async () => {
    const url = `http://127.0.0.1:${port}/`;
    assert.deepEqual(device.status.get('web.urls'), [url]);
    const c = new WebClient(url);
    const { csrf } = await c.login('admin');
    const boots = device.bootCount();
    assert.equal((await c.postForm('/reboot', { csrf: csrf! })).status, 200);
    await until('the reboot', () => device.bootCount() === boots + 1 && device.state === 'up');
    assert.deepEqual(device.status.get('web.urls'), [url]);
    assert.equal((await c.get('/fxs')).status, 303, 'sessions end with the reboot');
    assert.equal((await new WebClient(url).login('admin')).reply.status, 303);
  });

  it('a VOIP data reset from the UI resets the store and reboots', async () => {
    device.store.applyOrThrow({ P47: 'voip.example', P28116: '30' }, 'cli');
    const c = new WebClient(`http://127.0.0.1:${port}/`);
    const { csrf } = await c.login('admin');
    const boots = device.bootCount();
    assert.equal((await c.postForm('/reset', { csrf: csrf!, type: 'voip' })).status, 200);
    await until('the reset reboot', () => device.bootCount() === boots + 1 && device.state === 'up');
    assert.equal(device.store.get(47), '');
    assert.equal(device.store.get(28116), '30', 'ISP data kept');
  });
});
