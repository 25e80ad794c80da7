/**
 * The HT813 data model: `buildHt813Model` registers the whole `Device.` tree over a store.
 * Other areas: DataModel (model.ts) for reads and planned writes, TreeContext for live values.
 */
import type { ParamStore } from '../params/store';
import { DataModel, type ModelState, type ParamReader } from './model';
import type { TreeContext } from './tree/context';
import { registerDeviceInfo, registerTime } from './tree/device-info';
import { registerManagementServer } from './tree/management-server';
import { registerLan, registerPortMappings } from './tree/network';
import { registerSyslog, registerUpgrade, registerUserInterface } from './tree/vendor';
import { registerVoiceService } from './tree/voice-service';

export { DataModel } from './model';
export type { SetEntry, SetPlan, ParamReader, ModelState } from './model';
export type { TreeContext, LooseStatus } from './tree/context';
export { MS_STATE } from './tree/management-server';

/** A ParamStore as the model's reader. */
export function storeReader(store: ParamStore): ParamReader {
  return { get: (id) => store.get(id), has: (id) => store.catalogue.has(id) };
}

export function buildHt813Model(reader: ParamReader, state: ModelState, ctx: TreeContext): DataModel {
  const dm = new DataModel(reader, state);
  registerDeviceInfo(dm, ctx);
  registerManagementServer(dm, ctx);
  registerTime(dm, ctx);
  registerUserInterface(dm);
  registerLan(dm, ctx);
  registerPortMappings(dm, reader);
  registerVoiceService(dm, ctx, reader);
  registerUpgrade(dm);
  registerSyslog(dm);
  return dm;
}
