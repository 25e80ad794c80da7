/** One FXS line over the fakes, a FakeClock and the real dial-plan grammar. */
import { FakeClock } from '../support/fake-clock';
import type { IvrHost } from '../../cpe/ivr/ivr-host';
import { SeededRandom } from '../../cpe/shared/random';
import { CapturingLogger } from '../../cpe/shared/logger';
import { FxsLine } from '../../cpe/voice/fxs/fxs-line';
import { MemoryFeatureStore } from '../../cpe/voice/features/feature-state';
import { GrandstreamDialPlan } from '../../cpe/voice/calls/dial-plan-adapter';
import { readLineSettings } from '../../cpe/voice/fxs/fxs-settings';
import { FakeLinePort, FakeMedia, FakePstn, FakeSignalling, MapParams } from './fxs-fakes';

export interface Harness {
  clock: FakeClock;
  phone: FakeLinePort;
  media: FakeMedia;
  sip: FakeSignalling;
  params: MapParams;
  features: MemoryFeatureStore;
  line: FxsLine;
  pstn: FakePstn;
  log: CapturingLogger;
  tones: ReturnType<typeof readLineSettings>['tones'];
}

export function makeLine(values: Record<number, string> = {}, extra: { ivr?: IvrHost } = {}): Harness {
  const clock = new FakeClock();
  const phone = new FakeLinePort();
  const media = new FakeMedia();
  const sip = new FakeSignalling();
  const params = new MapParams(values);
  const features = new MemoryFeatureStore();
  const log = new CapturingLogger();
  const pstn = new FakePstn();
  const line = new FxsLine({
    lineNumber: 1,
    line: phone,
    media,
    signalling: sip,
    pstn,
    dialPlan: new GrandstreamDialPlan(),
    params,
    features,
    clock,
    random: new SeededRandom(7),
    log,
    mediaAddress: '127.0.0.1',
    rtpBasePort: 5004,
    sdpUser: '1001',
    ...extra,
  });
  line.start();
  return { clock, phone, media, sip, params, features, line, pstn, log, tones: readLineSettings(params).tones };
}
