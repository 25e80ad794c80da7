/**
 * Config file provisioning and firmware upgrade (issue 3). Public API for other areas:
 *
 * Files, whoever downloaded or uploaded them (TR-069 Download, web upload, the provisioner):
 *   applyConfigFile(bytes, { store, mac, log, url?, source? }) → ApplyConfigResult
 *     Decodes binary cfg<mac> / XML / encrypted XML (P1359), applies one batch (source
 *     'provision' unless given, e.g. 'cwmp'); unknown P-numbers skipped with one warning; any
 *     structural fault or invalid value rejects the whole file. `ok`, `changes`, `skipped`,
 *     `errors`, `reason`, `rebootRequired`.
 *   installFirmware(bytes, { dataDir, model, runningVersion, log, force?, url? }) → InstallResult
 *     Checks model, Ed25519 signature (trusted-keys.ts) and payload SHA-256, writes the inactive
 *     slot on trial. When `installed`, the caller reboots (ctx.device.reboot); the new version is
 *     then P68 / identity.firmwareVersion, or the unit falls back if the new slot fails to boot.
 *
 * Downloads:
 *   fetchUrl(url, FetchOptions) → Promise<Buffer>   tftp, http, https, ftp, ftps (explicit TLS)
 *   fetchOptionsFor(ctx, url, CONFIG_LIMITS | FIRMWARE_LIMITS) → the unit's FetchOptions
 *     (P1360/P1361 credentials, User-Agent, P2386/P2486 CAs per P8502, P8463 verification).
 *   Errors: FetchError with `kind` (not-found, auth, timeout, too-large, unreachable, tls, server,
 *   protocol, unsupported) and a stable `code` (ERR_FETCH_NOT_FOUND, ...).
 *
 * Firmware slots, for cpe/device.ts (DeviceOptions.firmware):
 *   firmwareSlots: FirmwareSlots = { activeVersion, confirmBoot, recoverBoot }
 *   activeFirmwareVersion(dataDir) → string | undefined (undefined = built-in firmware)
 *
 * The service ('provision' in cpe/services.ts): ProvisionService.checkNow(trigger) re-provisions
 * now (SIP NOTIFY check-sync/resync). Status keys: 'provision.lastConfig',
 * 'provision.lastFirmware', 'provision.nextCheck'.
 *
 * Codecs (pure): decodeConfigFile, encodeBinaryConfig/decodeBinaryConfig,
 * encodeXmlConfig/decodeXmlConfig, encryptConfig/decryptConfig, encodeFirmwareImage/decodeFirmwareImage.
 */
export { applyConfigFile, type ApplyConfigContext, type ApplyConfigResult } from './apply-config';
export { installFirmware, type FirmwareContext, type InstallResult } from './firmware/install';
export { activeFirmwareVersion, confirmBoot, recoverBoot, firmwareSlots, readSlots } from './firmware/slots';
export { encodeFirmwareImage, decodeFirmwareImage, decodeFirmwareHeader, verifyFirmwareImage } from './firmware/image';
export { trustedFirmwareKeys } from './firmware/trusted-keys';
export { fetchUrl, makeFetchUrl, defaultFetchers, type FetchFn, type Fetchers } from './fetch/fetch-url';
export { FetchError, safeUrl, type Fetcher, type FetchOptions, type FetchErrorKind, type Credentials } from './fetch/fetcher';
export { fetchOptionsFor, userAgent, CONFIG_LIMITS, FIRMWARE_LIMITS } from './fetch-options';
export { decodeConfigFile, type DecodedConfig, type ConfigFormat } from './codec/config-file';
export { encodeBinaryConfig, decodeBinaryConfig } from './codec/binary-config';
export { encodeXmlConfig, decodeXmlConfig } from './codec/xml-config';
export { encryptConfig, decryptConfig } from './codec/encrypted-config';
export { ProvisionService, createProvisionService, type CheckTrigger } from './provisioner';
export type { ProvisionAttempt, AttemptResult } from './provision-status';
