/** Test rigs for the line hardware: an FXS port and a simulated phone on one loop, under a FakeClock. */
import { FakeClock } from '../support/fake-clock';
import { silentLogger } from '../../cpe/shared/logger';
import { Loop } from '../../cpe/hw/loop';
import { SimFxsPort } from '../../cpe/hw/fxs-port';
import { SimulatedPhone } from '../../cpe/hw/sim/simulated-phone';
import { DEFAULT_FXS_CONFIG, type FxsConfig } from '../../cpe/hw/config';
import type { FxsEvent } from '../../cpe/hw/types';

export function fxsRig(cfg: Partial<FxsConfig> = {}) {
  const clock = new FakeClock();
  const fxs = new SimFxsPort(clock, silentLogger, { ...DEFAULT_FXS_CONFIG, ...cfg });
  const loop = new Loop(clock, 'fxs');
  const phone = new SimulatedPhone({ clock });
  loop.attachExchange(fxs.line);
  loop.attachTerminal(phone);
  const events: FxsEvent[] = [];
  fxs.on((e) => events.push(e));
  const names = () => events.map((e) => (e.type === 'digit' ? `${e.method}:${e.digit}` : e.type));
  /** Ring-voltage edges as [ms since start, on]. */
  const edges: [number, boolean][] = [];
  const t0 = clock.now();
  const orig = phone.ringVoltage.bind(phone);
  phone.ringVoltage = (on: boolean) => {
    edges.push([clock.now() - t0, on]);
    orig(on);
  };
  return { clock, fxs, loop, phone, events, names, edges };
}

