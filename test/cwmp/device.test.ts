/** With the real composition root: a TR-069 Reboot restarts the unit in-process and the next Inform says so. */
import assert from 'node:assert/strict';
import { generateKeyPairSync } from 'node:crypto';
import http from 'node:http';
import { provisionDownloader } from '../../cpe/cwmp/provision-downloader';
import { encodeFirmwareImage } from '../../cpe/provision/firmware/image';
import { firmwareSlots } from '../../cpe/provision/firmware/slots';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ScriptedAcs } from '../../acs-fixtures/scripted-acs';
import { CwmpService } from '../../cpe/cwmp/service';
import { Device } from '../../cpe/device';
import { ParamStore } from '../../cpe/params/store';
import { SystemClock } from '../../cpe/shared/clock';
import { silentLogger } from '../../cpe/shared/logger';
import { freePort } from '../support/ports';

describe('cwmp in a Device', () => {
  it('Reboot RPC → device reboot → Inform with 1 BOOT and M Reboot; the connection request server is back', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ht813-cwmp-dev-'));
    const acs = new ScriptedAcs();
    await acs.start();
    const pre = ParamStore.open(dir, { clock: new SystemClock(), log: silentLogger });
    pre.applyOrThrow({ P4503: acs.url, P4518: String(await freePort()) }, 'cli');
    pre.close();
    const codes = (env: unknown): string[] => ((env as { body: { event: { code: string; commandKey: string }[] } }).body.event).map((e) => `${e.code}${e.commandKey ? `:${e.commandKey}` : ''}`);
    acs.script([
      { expect: 'Inform', check: (env) => assert.deepEqual(codes(env), ['0 BOOTSTRAP', '1 BOOT']), reply: { method: 'InformResponse', maxEnvelopes: 1 } },
      { expect: 'empty', reply: { method: 'Reboot', commandKey: 'now' } },
      { expect: 'RebootResponse', reply: null },
      { expect: 'Inform', check: (env) => assert.deepEqual(codes(env), ['1 BOOT', 'M Reboot:now']), reply: { method: 'InformResponse', maxEnvelopes: 1 } },
      { expect: 'empty', reply: null },
    ]);
    const device = new Device({ dataDir: dir, log: silentLogger, services: [{ name: 'cwmp', create: (ctx) => new CwmpService(ctx) }], durability: 'normal' });
    try {
      await device.boot();
      await acs.finished(10_000);
      assert.deepEqual(acs.errors, []);
    } finally {
      await device.shutdown();
      await acs.stop();
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('cwmp firmware Download in a Device (provisioning image path)', () => {
  it('an untrusted image gives 9019 and no reboot; a trusted one is installed, the unit reboots and SoftwareVersion changes', async () => {
    const trusted = generateKeyPairSync('ed25519');
    const rogue = generateKeyPairSync('ed25519');
    const image = (key: typeof trusted.privateKey): Buffer =>
      encodeFirmwareImage({ model: 'HT813', version: '1.0.9.9', buildDate: Date.UTC(2026, 0, 1), payload: Buffer.alloc(4096, 7) }, key);
    const files: Record<string, Buffer> = { '/good.bin': image(trusted.privateKey), '/rogue.bin': image(rogue.privateKey) };
    const server = http.createServer((req, res) => {
      const f = files[req.url ?? ''];
      res.writeHead(f ? 200 : 404, { 'Content-Length': f?.length ?? 0 });
      res.end(f);
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const base = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ht813-cwmp-fw-'));
    const acs = new ScriptedAcs();
    await acs.start();
    const pre = ParamStore.open(dir, { clock: new SystemClock(), log: silentLogger });
    pre.applyOrThrow({ P4503: acs.url, P4518: String(await freePort()) }, 'cli');
    pre.close();
    type Body = { event: { code: string; commandKey: string }[]; parameterList: { name: string; value: string }[]; fault: { code: number } };
    const b = (env: unknown): Body => (env as { body: Body }).body;
    const codes = (env: unknown): string[] => b(env).event.map((e) => `${e.code}${e.commandKey ? `:${e.commandKey}` : ''}`);
    const version = (env: unknown): string | undefined => b(env).parameterList.find((p) => p.name === 'Device.DeviceInfo.SoftwareVersion')?.value;
    const dl = (key: string, file: string) => ({
      method: 'Download' as const,
      commandKey: key,
      fileType: '1 Firmware Upgrade Image',
      url: `${base}${file}`,
      username: '',
      password: '',
      fileSize: files[file]!.length,
      targetFileName: '',
      delaySeconds: 0,
      successUrl: '',
      failureUrl: '',
    });
    acs.script([
      { expect: 'Inform', check: (env) => assert.equal(version(env), '1.0.7.1'), reply: { method: 'InformResponse', maxEnvelopes: 1 } },
      { expect: 'empty', reply: dl('rogue', '/rogue.bin') },
      { expect: 'DownloadResponse', reply: null },
      { expect: 'Inform', check: (env) => assert.deepEqual(codes(env), ['7 TRANSFER COMPLETE', 'M Download:rogue']), reply: { method: 'InformResponse', maxEnvelopes: 1 } },
      { expect: 'TransferComplete', check: (env) => assert.equal(b(env).fault.code, 9019), reply: { method: 'TransferCompleteResponse' } },
      { expect: 'empty', reply: dl('good', '/good.bin') },
      { expect: 'DownloadResponse', reply: null },
      {
        expect: 'Inform',
        check: (env) => {
          // SoftwareVersion has forced active notification (TR-181): the new version is a VALUE CHANGE too.
          assert.deepEqual(codes(env), ['1 BOOT', '4 VALUE CHANGE', '7 TRANSFER COMPLETE', 'M Download:good']);
          assert.equal(version(env), '1.0.9.9');
        },
        reply: { method: 'InformResponse', maxEnvelopes: 1 },
      },
      { expect: 'TransferComplete', check: (env) => assert.equal(b(env).fault.code, 0), reply: { method: 'TransferCompleteResponse' } },
      { expect: 'empty', reply: null },
    ]);
    const device = new Device({
      dataDir: dir,
      log: silentLogger,
      durability: 'normal',
      firmware: firmwareSlots,
      services: [
        {
          name: 'cwmp',
          create: (ctx) =>
            new CwmpService(ctx, {
              downloader: provisionDownloader({
                store: ctx.store,
                mac: ctx.identity.mac,
                model: ctx.identity.model,
                runningVersion: ctx.identity.firmwareVersion,
                dataDir: ctx.dataDir,
                log: ctx.log,
                clock: ctx.clock,
                random: ctx.random,
                userAgent: 'test',
                trustedKeys: [trusted.publicKey],
              }),
            }),
        },
      ],
    });
    try {
      await device.boot();
      await acs.finished(15_000);
      assert.deepEqual(acs.errors, []);
    } finally {
      await device.shutdown();
      await acs.stop();
      server.closeAllConnections();
      await new Promise<void>((r) => server.close(() => r()));
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
