/**
 * Reset (user guide "Reset from Web Interface"), firmware upload and config file download/upload.
 * All admin only; uploads are multipart forms whose CSRF token is checked after decoding.
 */
import express, { type Express, type NextFunction, type Request, type Response } from 'express';
import { DecodeError } from '../shared/errors';
import { csrfValid, sendPage } from './http-util';
import { messagePage } from './layout';
import { MAX_UPLOAD_BYTES, isResetChoice, type MaintenanceResult } from './maintenance';
import { decodeMultipart, fieldText, multipartBoundary, type FormPart } from './multipart';
import { rebootingPage } from './routes-pages';
import { clientOf, requireLevel, type WebUi } from './web-ui';

export function registerMaintenanceRoutes(app: Express, ui: WebUi): void {
  app.post('/reset', (req, res) => {
    const s = requireLevel(ui, req, res, ['admin']);
    if (!s) return;
    const type = (req.body as Record<string, unknown> | undefined)?.type;
    if (!isResetChoice(type)) return void sendPage(res, 400, messagePage(ui.model, 'Reset', 'error', 'Unknown reset type: choose Full Reset, ISP Data or VOIP Data.', '/basic'));
    const refusal = ui.ctx.store.resetRefusal(type);
    if (refusal) return void sendPage(res, 409, messagePage(ui.model, 'Reset', 'error', `Reset refused: ${refusal}.`, '/basic'));
    ui.ctx.log.warn({ client: clientOf(req), type }, 'factory reset requested from the web UI');
    sendPage(res, 200, rebootingPage(ui.model, `Reset (${type}) done: the unit is rebooting. Log in again in a few seconds.`));
    res.on('finish', () => {
      ui.ctx.device.factoryReset(type, 'web UI').catch((e: unknown) => ui.ctx.log.error({ err: String(e) }, 'factory reset failed'));
    });
  });

  app.post('/config/download', (req, res) => {
    const s = requireLevel(ui, req, res, ['admin']);
    if (!s) return;
    const withSecrets = (req.body as Record<string, unknown> | undefined)?.secrets === '1';
    ui.ctx.log.info({ client: clientOf(req), withSecrets }, 'config downloaded from the web UI');
    res.setHeader('Content-Type', 'application/xml; charset=utf-8');
    res.setHeader('Content-Disposition', `attachment; filename="cfg${ui.ctx.identity.mac}.xml"`);
    res.setHeader('Cache-Control', 'no-store');
    res.send(ui.configFiles().exportConfigXml(withSecrets));
  });

  // the level is checked before a large body is read
  const adminFirst = (req: Request, res: Response, next: NextFunction): void => {
    if (requireLevel(ui, req, res, ['admin'])) next();
  };
  const raw = express.raw({ type: 'multipart/form-data', limit: MAX_UPLOAD_BYTES });
  app.post('/config/upload', adminFirst, raw, (req, res, next) => {
    upload(ui, req, res, 'config').catch(next);
  });
  app.post('/firmware', adminFirst, raw, (req, res, next) => {
    upload(ui, req, res, 'firmware').catch(next);
  });
}

async function upload(ui: WebUi, req: Request, res: Response, what: 'config' | 'firmware'): Promise<void> {
  const s = requireLevel(ui, req, res, ['admin']);
  if (!s) return;
  let parts: FormPart[];
  try {
    const boundary = multipartBoundary(req.headers['content-type']);
    if (!boundary || !Buffer.isBuffer(req.body)) throw new DecodeError('not a multipart form', 0);
    parts = decodeMultipart(req.body, boundary);
  } catch (e) {
    const why = e instanceof DecodeError ? e.message : 'unreadable';
    return void sendPage(res, 400, messagePage(ui.model, 'Upload', 'error', `The upload could not be read (${why}). Nothing was changed.`, '/advanced'));
  }
  if (!csrfValid(s, fieldText(parts, 'csrf'))) return void ui.refuseCsrf(req, res);
  const file = parts.find((p) => p.name === 'file' && p.filename !== undefined);
  if (!file || file.data.length === 0) return void sendPage(res, 400, messagePage(ui.model, 'Upload', 'error', 'No file was chosen. Nothing was changed.', '/advanced'));
  let result: MaintenanceResult;
  try {
    const name = file.filename ?? '';
    result = what === 'firmware' ? await ui.firmwareUpload().installFirmware(file.data, name) : await ui.configFiles().importConfig(file.data, name);
  } catch (e) {
    result = { ok: false, message: e instanceof Error ? e.message : String(e) };
  }
  ui.ctx.log.info({ client: clientOf(req), what, bytes: file.data.length, ok: result.ok }, `${what} uploaded from the web UI`);
  if (!result.ok) return void sendPage(res, 400, messagePage(ui.model, 'Upload', 'error', `${result.message} Nothing was changed.`, '/advanced'));
  if (result.rebootNow) {
    sendPage(res, 200, rebootingPage(ui.model, `${result.message} The unit reboots into the new firmware.`));
    res.on('finish', () => {
      ui.ctx.device.reboot(`${what} uploaded from the web UI`).catch((e: unknown) => ui.ctx.log.error({ err: String(e) }, 'reboot failed'));
    });
    return;
  }
  if (result.rebootRequired) ui.rebootPending = true;
  s.flash = { kind: 'ok', text: result.message };
  res.redirect(303, '/advanced');
}
