import type { ParamStore } from '../params/store';
import { MASK } from '../params/store';
import { ParamError } from '../params/param-error';
import type { ResetType } from '../params/types';
import type { ControlRequest, ControlResponse } from './control-protocol';

/**
 * Executes a control request on a store. The running unit does it on its own store (so services
 * get the change event at once); with no unit running the CLI does it on the store it opened.
 * `reset` is handed to `doReset` (the device resets and reboots; the CLI resets the store only).
 */
export async function executeRequest(
  store: ParamStore,
  req: ControlRequest,
  doReset: (type: ResetType) => Promise<number>,
): Promise<ControlResponse> {
  switch (req.op) {
    case 'get': {
      const unknown = req.ids.filter((id) => !store.catalogue.has(id));
      if (unknown.length > 0) return { ok: false, error: `no such parameter: ${unknown.map((i) => `P${i}`).join(', ')}` };
      return { ok: true, values: req.ids.map((id) => [id, shown(store, id, req.withSecrets)]) };
    }
    case 'set': {
      const r = store.apply(req.batch, 'cli');
      if (!r.ok) return { ok: false, error: 'batch rejected, nothing changed', errors: [...r.errors] };
      return { ok: true, changed: r.changes.length, rebootRequired: r.rebootRequired };
    }
    case 'export': {
      const values: Array<[number, string]> = [];
      for (const [id] of store.snapshot()) values.push([id, shown(store, id, req.withSecrets)]);
      return { ok: true, values };
    }
    case 'audit':
      return { ok: true, audit: store.audit(req.limit) };
    case 'reset':
      try {
        const changed = await doReset(req.type);
        return { ok: true, changed, message: `reset ${req.type} done` };
      } catch (e) {
        if (e instanceof ParamError) return { ok: false, error: e.message };
        throw e;
      }
    case 'request-download':
      return { ok: false, error: 'request-download needs the unit running (TR-069 talks to the ACS)' };
  }
}

function shown(store: ParamStore, id: number, withSecrets: boolean): string {
  const v = store.get(id);
  return store.catalogue.get(id)?.secret && !withSecrets && v !== '' ? MASK : v;
}
