/** Units with an FXS line over the real SIP core on the in-memory network, under one FakeClock. */
import { FakeClock } from '../support/fake-clock';
import { CapturingLogger } from '../../cpe/shared/logger';
import { SeededRandom } from '../../cpe/shared/random';
import { Params, sipUri } from '../../cpe/voice/sip/syntax';
import { InMemoryNetwork, type InMemoryTransport } from '../../cpe/voice/sip/transport/in-memory-network';
import { TransactionLayer } from '../../cpe/voice/sip/transaction/transaction-layer';
import { sipTimers } from '../../cpe/voice/sip/transaction/timers';
import { UserAgentCore } from '../../cpe/voice/sip/ua/user-agent-core';
import { FxsLine } from '../../cpe/voice/fxs/fxs-line';
import { MemoryFeatureStore } from '../../cpe/voice/features/feature-state';
import { GrandstreamDialPlan } from '../../cpe/voice/calls/dial-plan-adapter';
import { SipSignalling, type AccountLink, type SignallingSettings } from '../../cpe/voice/calls/sip-signalling';
import { DEFAULT_SESSION_TIMER } from '../../cpe/voice/calls/session-timer';
import { FakeLinePort, FakeMedia, MapParams } from './fxs-fakes';

export interface Unit {
  address: string;
  phone: FakeLinePort;
  media: FakeMedia;
  line: FxsLine;
  sip: SipSignalling;
  core: UserAgentCore;
  layer: TransactionLayer;
  transport: InMemoryTransport;
  params: MapParams;
  settings: { value: SignallingSettings };
}

export interface SipRig {
  clock: FakeClock;
  net: InMemoryNetwork;
  log: CapturingLogger;
  unit(address: string, user: string, values?: Record<number, string>, settings?: Partial<SignallingSettings>, link?: Partial<AccountLink>): Unit;
}

export function sipRig(seed = 1): SipRig {
  const clock = new FakeClock();
  const net = new InMemoryNetwork(clock);
  const log = new CapturingLogger();
  const random = new SeededRandom(seed);
  return {
    clock,
    net,
    log,
    unit(address, user, values = {}, settings = {}, link = {}) {
      const transport = net.endpoint(address, 5060, ['udp']);
      let core: UserAgentCore | undefined;
      const layer = new TransactionLayer(transport, { clock, random, log, timers: sipTimers() }, {
        onRequest: (r, tx, i) => core?.onRequest(r, tx, i),
        onStrayResponse: (r, i) => core?.onStrayResponseReceived(r, i),
      });
      core = new UserAgentCore(layer, {
        random,
        log,
        userAgent: 'HT813 test',
        aor: () => sipUri(address, { user }),
        contact: () => ({ uri: sipUri(address, { user, port: 5060 }), params: new Params() }),
      });
      const s = { value: { allowUnregistered: true, rel100: false, sessionTimer: DEFAULT_SESSION_TIMER, ...settings } };
      const sip = new SipSignalling(
        {
          core,
          registered: () => true,
          serverTarget: () => undefined,
          domain: () => '127.0.0.99',
          credentials: () => undefined,
          aor: () => sipUri(address, { user }),
          contact: () => ({ uri: sipUri(address, { user, port: 5060 }), params: new Params() }),
          protocol: () => 'udp',
          ...link,
        },
        () => s.value,
        { clock, random, log: log.child({ unit: address }) },
      );
      const phone = new FakeLinePort();
      const media = new FakeMedia();
      const params = new MapParams(values);
      const line = new FxsLine({
        lineNumber: 1,
        line: phone,
        media,
        signalling: sip,
        dialPlan: new GrandstreamDialPlan(),
        params,
        features: new MemoryFeatureStore(),
        clock,
        random,
        log: log.child({ unit: address }),
        mediaAddress: address,
        rtpBasePort: 5004,
        sdpUser: user,
      });
      line.start();
      return { address, phone, media, line, sip, core, layer, transport, params, settings: s };
    },
  };
}

/** `*47` keying of an IPv4 address (user guide "Direct IP Calls"). */
export function starIp(address: string): string {
  return `*47${address.split('.').join('*')}#`;
}
