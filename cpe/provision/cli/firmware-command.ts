/**
 * `ht813 firmware make --version V`: builds a signed firmware image (firmware/image.ts). The
 * default signing key is the committed TEST key (test/golden/provision/firmware-test-key.pem),
 * which this build's units trust; a real vendor signs with a key kept off the repository.
 */
import fs from 'node:fs';
import path from 'node:path';
import { createPrivateKey } from 'node:crypto';
import { UsageError } from '../../shared/errors';
import { option, type Command } from '../../cli/command';
import { encodeFirmwareImage, VERSION_RE } from '../firmware/image';

/** The repository's test signing key: this file is cpe/provision/cli/ in the sources, dist/cpe/provision/cli/ in a build. */
export function testSigningKeyPath(): string {
  const rel = ['test', 'golden', 'provision', 'firmware-test-key.pem'];
  const candidates = [path.resolve(__dirname, '..', '..', '..', ...rel), path.resolve(__dirname, '..', '..', '..', '..', ...rel)];
  return candidates.find((p) => fs.existsSync(p)) ?? candidates[0]!;
}

export const firmwareMakeCommand: Command = {
  usage: 'firmware make --version V [--payload FILE] [--model HT813] [--key PEM] [--out FILE]',
  summary: 'build a signed firmware image (default: version-only, signed with the test key)',
  options: ['version', 'payload', 'model', 'key', 'out', 'build-date'],
  async run(args, io) {
    if (args.positionals.length > 0) throw new UsageError(`unexpected argument ${args.positionals[0]}`);
    const version = option(args, 'version');
    if (version === undefined || !VERSION_RE.test(version)) throw new UsageError('--version must look like 1.0.8.1');
    const model = option(args, 'model') ?? 'HT813';
    const keyFile = path.resolve(io.cwd, option(args, 'key') ?? testSigningKeyPath());
    const payloadFile = option(args, 'payload');
    let key;
    let payload = Buffer.alloc(0);
    try {
      key = createPrivateKey(fs.readFileSync(keyFile));
      if (payloadFile !== undefined) payload = fs.readFileSync(path.resolve(io.cwd, payloadFile));
    } catch (e) {
      throw new UsageError((e as Error).message);
    }
    if (key.asymmetricKeyType !== 'ed25519') throw new UsageError(`${keyFile} is not an Ed25519 private key`);
    const dateArg = option(args, 'build-date');
    const buildDate = dateArg === undefined ? Date.now() : Date.parse(dateArg);
    if (Number.isNaN(buildDate)) throw new UsageError('--build-date must be an ISO date');
    let image: Buffer;
    try {
      image = encodeFirmwareImage({ model, version, buildDate, payload }, key);
    } catch (e) {
      throw new UsageError((e as Error).message);
    }
    const out = path.resolve(io.cwd, option(args, 'out') ?? `${model.toLowerCase()}fw.bin`);
    fs.writeFileSync(out, image);
    io.stdout.write(`${model} ${version}: ${image.length} bytes → ${out}\n`);
    return 0;
  },
};
