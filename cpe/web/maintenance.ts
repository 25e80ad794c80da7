/**
 * The maintenance cards: Reset Type (user guide "Reset from Web Interface", on Basic Settings),
 * firmware upload ("Upgrading via Local Directory") and config file download/upload (Advanced
 * Settings). The file work belongs to the provisioning subsystem (one codec per format, one
 * firmware install path; ARCHITECTURE.md): the web UI uses its service when that service offers
 * these methods, and its codecs and installer directly otherwise (config-files.ts,
 * firmware-upload.ts).
 */
import { html, type SafeHtml } from './html';

export interface MaintenanceResult {
  readonly ok: boolean;
  /** Shown to the user as is (escaped). */
  readonly message: string;
  readonly rebootRequired?: boolean;
  /** Reboot as soon as the answer is sent (a firmware image was installed). */
  readonly rebootNow?: boolean;
}

export interface ConfigFiles {
  /** The configuration as a gs_provision XML file; secrets only when asked. */
  exportConfigXml(withSecrets: boolean): string;
  /** A config file (XML, encrypted XML or binary cfg) applied as one batch. */
  importConfig(data: Buffer, filename: string): Promise<MaintenanceResult>;
}

export interface FirmwareUpload {
  /**
   * A firmware image checked (model, integrity, signature) and installed into the inactive slot;
   * `rebootNow` asks the web UI to reboot into it once the answer is sent.
   */
  installFirmware(data: Buffer, filename: string): Promise<MaintenanceResult>;
}

/** What the provisioning service may offer the web UI (both parts optional). */
export type WebMaintenance = ConfigFiles & FirmwareUpload;

export const RESET_TYPES = [
  { value: 'full', label: 'Full Reset' },
  { value: 'isp', label: 'ISP Data' },
  { value: 'voip', label: 'VOIP Data' },
] as const;
export type ResetChoice = (typeof RESET_TYPES)[number]['value'];

export function isResetChoice(v: unknown): v is ResetChoice {
  return RESET_TYPES.some((t) => t.value === v);
}

export function renderResetCard(csrf: string, refusal: string | undefined): SafeHtml {
  return html`<section class="card" id="reset"><h2>Reset Type</h2>
${refusal ? html`<p class="hint">${refusal}</p>` : ''}
<form method="post" action="/reset" data-confirm="Reset the unit to factory settings of the chosen type? It reboots afterwards.">
<input type="hidden" name="csrf" value="${csrf}">
<div class="row"><label for="reset-type">Reset Type</label><div><select id="reset-type" name="type">${RESET_TYPES.map(
    (t) => html`<option value="${t.value}">${t.label}</option>`,
  )}</select></div></div>
<div class="buttons"><button class="danger" type="submit" id="reset-button">Reset</button></div>
</form></section>`;
}

export function renderRebootCard(csrf: string): SafeHtml {
  return html`<section class="card" id="reboot"><h2>Reboot</h2>
<form method="post" action="/reboot" data-confirm="Reboot the unit now?"><input type="hidden" name="csrf" value="${csrf}">
<button type="submit" id="reboot-button">Reboot</button></form></section>`;
}

/** Maximum upload: a firmware image of this project is a few MiB. */
export const MAX_UPLOAD_BYTES = 32 * 1024 * 1024;

export function renderFilesCard(csrf: string): SafeHtml {
  const fw = html`<form method="post" action="/firmware" enctype="multipart/form-data" data-confirm="Install this firmware? The unit reboots into it.">
<input type="hidden" name="csrf" value="${csrf}">
<div class="row"><label for="fw-file">Upload Firmware</label><div><input id="fw-file" type="file" name="file" required> <button type="submit" id="fw-upload">Upload Firmware</button></div></div>
</form>`;
  return html`<section class="card" id="files"><h2>Firmware and Configuration Files</h2>
${fw}
<form method="post" action="/config/download">
<input type="hidden" name="csrf" value="${csrf}">
<div class="row"><span class="lbl">Download Configuration</span><div><label><input type="checkbox" name="secrets" value="1"> include passwords</label> <button type="submit" id="cfg-download">Download</button></div></div>
</form>
<form method="post" action="/config/upload" enctype="multipart/form-data">
<input type="hidden" name="csrf" value="${csrf}">
<div class="row"><label for="cfg-file">Upload Configuration</label><div><input id="cfg-file" type="file" name="file" required> <button type="submit" id="cfg-upload">Upload</button></div></div>
</form></section>`;
}

/** Duck-typed lookups of the provisioning service's web hooks (it is started before the web UI). */
export function asConfigFiles(svc: unknown): ConfigFiles | undefined {
  const m = methods(svc);
  return m && typeof m.exportConfigXml === 'function' && typeof m.importConfig === 'function' ? (svc as ConfigFiles) : undefined;
}

export function asFirmwareUpload(svc: unknown): FirmwareUpload | undefined {
  const m = methods(svc);
  return m && typeof m.installFirmware === 'function' ? (svc as FirmwareUpload) : undefined;
}

function methods(svc: unknown): Partial<Record<keyof WebMaintenance, unknown>> | undefined {
  return svc !== null && typeof svc === 'object' ? (svc as Partial<Record<keyof WebMaintenance, unknown>>) : undefined;
}
