/**
 * Firmware upload and config download/upload forms, against a hand-written provisioning service
 * that records what the web UI hands it (the real one is tested in test/provision/).
 */
import assert from 'node:assert/strict';
import type { Service } from '../../cpe/service';
import type { MaintenanceResult, WebMaintenance } from '../../cpe/web/maintenance';
import { startTestUnit, type TestUnit } from './harness';
import { WebClient, type Reply } from './http-client';
import { createPrivateKey } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { encryptConfig } from '../../cpe/provision/codec/encrypted-config';
import { encodeFirmwareImage } from '../../cpe/provision/firmware/image';
import { readSlots } from '../../cpe/provision/firmware/slots';

class FakeProvision implements Service, WebMaintenance {
  readonly name = 'provision';
  readonly imports: Array<[string, string]> = [];
  readonly firmware: Array<[string, number]> = [];
  exports: boolean[] = [];
  async start(): Promise<void> {}
  async stop(): Promise<void> {}
  exportConfigXml(withSecrets: boolean): string {
    this.exports.push(withSecrets);
    return `<?xml version="1.0"?><gs_provision version="1"><config version="1"><P47>x</P47>${withSecrets ? '<P34>pw</P34>' : ''}</config></gs_provision>`;
  }
  async importConfig(data: Buffer, filename: string): Promise<MaintenanceResult> {
    this.imports.push([filename, data.toString('utf8')]);
    return data.includes('bad') ? { ok: false, message: 'P47="%": must be host or host:port.' } : { ok: true, message: 'Configuration applied: 1 change.' };
  }
  async installFirmware(data: Buffer, filename: string): Promise<MaintenanceResult> {
    this.firmware.push([filename, data.length]);
    return { ok: true, message: 'Firmware 1.0.2.0 installed.', rebootNow: true };
  }
}

function multipart(fields: Record<string, string>, file?: { name: string; data: Buffer }): { body: Buffer; type: string } {
  const b = '----ht813test';
  const chunks: Buffer[] = [];
  for (const [k, v] of Object.entries(fields)) chunks.push(Buffer.from(`--${b}\r\nContent-Disposition: form-data; name="${k}"\r\n\r\n${v}\r\n`));
  if (file) {
    chunks.push(Buffer.from(`--${b}\r\nContent-Disposition: form-data; name="file"; filename="${file.name}"\r\nContent-Type: application/octet-stream\r\n\r\n`), file.data, Buffer.from('\r\n'));
  }
  chunks.push(Buffer.from(`--${b}--\r\n`));
  return { body: Buffer.concat(chunks), type: `multipart/form-data; boundary=${b}` };
}

function upload(c: WebClient, path: string, fields: Record<string, string>, file?: { name: string; data: Buffer }): Promise<Reply> {
  const m = multipart(fields, file);
  return c.request('POST', path, m.body, m.type);
}

describe('web UI firmware and config files', () => {
  let unit: TestUnit;
  let prov: FakeProvision;

  beforeEach(async () => {
    prov = new FakeProvision();
    unit = await startTestUnit({ services: { provision: prov } });
  });
  afterEach(async () => {
    await unit.close();
  });

  async function admin(): Promise<{ c: WebClient; csrf: string }> {
    const c = new WebClient(unit.url);
    const { csrf } = await c.login('admin');
    return { c, csrf: csrf! };
  }


  it('downloads the configuration, secrets only when asked', async () => {
    const { c, csrf } = await admin();
    const plain = await c.postForm('/config/download', { csrf });
    assert.equal(plain.status, 200);
    assert.match(String(plain.headers['content-disposition']), /cfg000b82a1b2c3\.xml/);
    assert.doesNotMatch(plain.body, /<P34>/);
    const full = await c.postForm('/config/download', { csrf, secrets: '1' });
    assert.match(full.body, /<P34>pw<\/P34>/);
    assert.deepEqual(prov.exports, [false, true]);
  });

  it('uploads a config file and shows the result; a bad file changes nothing and says why', async () => {
    const { c, csrf } = await admin();
    const ok = await upload(c, '/config/upload', { csrf }, { name: 'cfg.xml', data: Buffer.from('<gs_provision/>') });
    assert.equal(ok.status, 303);
    assert.match((await c.get('/advanced')).body, /Configuration applied: 1 change\./);
    const bad = await upload(c, '/config/upload', { csrf }, { name: 'cfg.xml', data: Buffer.from('bad') });
    assert.equal(bad.status, 400);
    assert.match(bad.body, /must be host or host:port\. Nothing was changed\./);
    assert.deepEqual(prov.imports.map(([f]) => f), ['cfg.xml', 'cfg.xml']);
  });

  it('uploads firmware to the provisioning service', async () => {
    const { c, csrf } = await admin();
    const r = await upload(c, '/firmware', { csrf }, { name: 'ht813fw.bin', data: Buffer.alloc(70_000, 1) });
    assert.equal(r.status, 200);
    assert.match(r.body, /Firmware 1\.0\.2\.0 installed\./);
    assert.deepEqual(prov.firmware, [['ht813fw.bin', 70_000]]);
    await new Promise((res) => setImmediate(res));
    assert.deepEqual(unit.device.reboots, ['firmware uploaded from the web UI']);
  });

  it('refuses uploads without the CSRF token, without a file, garbled, or from a non-admin', async () => {
    const { c, csrf } = await admin();
    assert.equal((await upload(c, '/firmware', {}, { name: 'a.bin', data: Buffer.from('x') })).status, 403);
    assert.equal((await upload(c, '/firmware', { csrf: 'forged' }, { name: 'a.bin', data: Buffer.from('x') })).status, 403);
    assert.equal((await upload(c, '/firmware', { csrf })).status, 400);
    const garbled = await c.request('POST', '/firmware', Buffer.from('garbage'), 'multipart/form-data; boundary=zzz');
    assert.equal(garbled.status, 400);
    assert.match(garbled.body, /could not be read/);
    const user = new WebClient(unit.url);
    const u = await user.login('123');
    assert.equal((await upload(user, '/config/upload', { csrf: u.csrf! }, { name: 'c.xml', data: Buffer.from('x') })).status, 403);
    assert.equal((await user.postForm('/config/download', { csrf: u.csrf! })).status, 403);
    assert.deepEqual(prov.firmware, []);
    assert.deepEqual(prov.imports, []);
  });

  it('without a provisioning service: firmware through the provisioning install path, checked and slotted', async () => {
    const bare = await startTestUnit();
    try {
      const c = new WebClient(bare.url);
      const { csrf } = await c.login('admin');
      const key = createPrivateKey(fs.readFileSync(path.resolve(__dirname, '../golden/provision/firmware-test-key.pem')));
      const image = (model: string) => encodeFirmwareImage({ model, version: '1.0.9.1', buildDate: Date.UTC(2026, 0, 2), payload: Buffer.from('payload') }, key);
      const tampered = image('HT813');
      tampered.writeUInt8(tampered.readUInt8(tampered.length - 1) ^ 1, tampered.length - 1);
      const BAD: Array<[string, Buffer, RegExp]> = [
        ['garbage', Buffer.from('not firmware'), /Firmware refused \(decode\)/],
        ['another model', image('HT812'), /Firmware refused \(model\)/],
        ['tampered payload', tampered, /Firmware refused \(integrity\)/],
      ];
      for (const [name, data, error] of BAD) {
        const r = await upload(c, '/firmware', { csrf: csrf! }, { name: 'ht813fw.bin', data });
        assert.equal(r.status, 400, name);
        assert.match(r.body, error, name);
      }
      assert.equal(readSlots(bare.dir).active, null, 'no slot written');
      const ok = await upload(c, '/firmware', { csrf: csrf! }, { name: 'ht813fw.bin', data: image('HT813') });
      assert.equal(ok.status, 200);
      assert.match(ok.body, /Firmware 1\.0\.9\.1 installed\. The unit reboots into the new firmware\./);
      await new Promise((res) => setImmediate(res));
      assert.deepEqual(bare.device.reboots, ['firmware uploaded from the web UI']);
      const slots = readSlots(bare.dir);
      assert.notEqual(slots.active, null, 'installed into a slot');
      assert.equal(slots.trial, true, 'on trial until the next boot confirms it');
    } finally {
      await bare.close();
    }
  });

  it('without a provisioning service: config files through the provisioning codecs', async () => {
    const bare = await startTestUnit({ params: { P34: 'SipS3cret', P47: 'old.example', P1359: 'filepass' } });
    try {
      const c = new WebClient(bare.url);
      const { csrf } = await c.login('admin');
      assert.match((await c.get('/advanced')).body, /id="fw-upload"/);

      const plain = await c.postForm('/config/download', { csrf: csrf! });
      assert.equal(plain.status, 200);
      assert.match(plain.body, /<mac>000b82a1b2c3<\/mac>/);
      assert.match(plain.body, /<P47>old\.example<\/P47>/);
      assert.doesNotMatch(plain.body, /<P34>|SipS3cret/, 'secrets left out');
      assert.match((await c.postForm('/config/download', { csrf: csrf!, secrets: '1' })).body, /<P34>SipS3cret<\/P34>/);

      const xml = '<?xml version="1.0" encoding="UTF-8"?><gs_provision version="1"><config version="1"><P47>new.example</P47><P99999>x</P99999></config></gs_provision>';
      const ok = await upload(c, '/config/upload', { csrf: csrf! }, { name: 'cfg.xml', data: Buffer.from(xml) });
      assert.equal(ok.status, 303);
      assert.equal(bare.store.get(47), 'new.example');
      assert.match((await c.get('/advanced')).body, /Configuration file applied: 1 change\(s\)\. Skipped 1 P-value/);

      const encrypted = encryptConfig(Buffer.from(xml.replace('new.example', 'enc.example')), 'filepass', Buffer.from('0123456789abcdef', 'hex'));
      assert.equal((await upload(c, '/config/upload', { csrf: csrf! }, { name: 'cfg.xml.enc', data: encrypted })).status, 303);
      assert.equal(bare.store.get(47), 'enc.example');

      const BAD: Array<[string, string, RegExp]> = [
        ['invalid value', xml.replace('new.example', 'bad host!'), /P47=.*must be host/],
        ['another unit', xml.replace('<config', '<mac>000b82ffffff</mac><config'), /Not a usable config file/],
        ['not a config file', 'hello', /Not a usable config file/],
      ];
      for (const [name, body, error] of BAD) {
        const r = await upload(c, '/config/upload', { csrf: csrf! }, { name: 'cfg.xml', data: Buffer.from(body) });
        assert.equal(r.status, 400, name);
        assert.match(r.body.replace(/&quot;/g, '"'), error, name);
      }
      assert.equal(bare.store.get(47), 'enc.example');
    } finally {
      await bare.close();
    }
  });
});
