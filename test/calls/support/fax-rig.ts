/**
 * Units with real line hardware and media under one FakeClock: the FXS port with a SimulatedPhone
 * on its jack (HwLinePort), RTP sessions (RtpMediaFactory) on in-memory UDP, the SIP core on the
 * in-memory network; optionally the FXO port with a simulated central office and the FXO gateway
 * on account 2 (address:5062). What the calls service composes on a real unit, minus sockets.
 */
import { FakeClock } from '../../support/fake-clock';
import { CapturingLogger } from '../../../cpe/shared/logger';
import { SeededRandom } from '../../../cpe/shared/random';
import { DEFAULT_FXO_CONFIG, DEFAULT_FXS_CONFIG } from '../../../cpe/hw/config';
import { SimFxoPort } from '../../../cpe/hw/fxo-port';
import { SimFxsPort } from '../../../cpe/hw/fxs-port';
import { Loop } from '../../../cpe/hw/loop';
import { CentralOffice } from '../../../cpe/hw/sim/central-office';
import { SimulatedPhone } from '../../../cpe/hw/sim/simulated-phone';
import { MediaClock } from '../../../cpe/media/media-clock';
import { Params, sipUri } from '../../../cpe/voice/sip/syntax';
import { InMemoryNetwork } from '../../../cpe/voice/sip/transport/in-memory-network';
import { TransactionLayer } from '../../../cpe/voice/sip/transaction/transaction-layer';
import { sipTimers } from '../../../cpe/voice/sip/transaction/timers';
import { UserAgentCore } from '../../../cpe/voice/sip/ua/user-agent-core';
import { readRtpSettings } from '../../../cpe/voice/calls/call-settings';
import { GrandstreamDialPlan } from '../../../cpe/voice/calls/dial-plan-adapter';
import { HwLinePort } from '../../../cpe/voice/calls/hw-line-port';
import { RtpMediaFactory, type RtpMediaSession } from '../../../cpe/voice/calls/rtp-media-session';
import { SipSignalling } from '../../../cpe/voice/calls/sip-signalling';
import { DEFAULT_SESSION_TIMER } from '../../../cpe/voice/calls/session-timer';
import { MemoryFeatureStore } from '../../../cpe/voice/features/feature-state';
import { FxsLine } from '../../../cpe/voice/fxs/fxs-line';
import { FxoGateway } from '../../../cpe/voice/fxo/fxo-gateway';
import { MapParams } from '../fxs-fakes';
import { MemoryUdpNetwork } from './memory-udp';

export interface RigUnit {
  readonly address: string;
  readonly phone: SimulatedPhone;
  readonly line: FxsLine;
  readonly params: MapParams;
  /** Every RTP media session the unit created (FXS and FXO calls). */
  readonly sessions: RtpMediaSession[];
  /** With `fxo`: the gateway on account 2 and the central office on its jack. */
  readonly gateway?: FxoGateway;
  readonly co?: CentralOffice;
}

export interface UnitOptions {
  /** Where numbers dialed on the FXS line go (host:port), default 127.0.0.99. */
  readonly domain?: string;
  /** An FXO port with a central office and the gateway on account 2. */
  readonly fxo?: boolean;
}

export function faxRig(seed = 1) {
  const clock = new FakeClock();
  const net = new InMemoryNetwork(clock);
  const log = new CapturingLogger();
  const random = new SeededRandom(seed);
  const udp = new MemoryUdpNetwork(clock, random, 10, 15);

  function account(address: string, port: number, user: string, domain: string): SipSignalling {
    const transport = net.endpoint(address, port, ['udp']);
    let core: UserAgentCore | undefined;
    const layer = new TransactionLayer(transport, { clock, random, log, timers: sipTimers() }, {
      onRequest: (r, tx, i) => core?.onRequest(r, tx, i),
      onStrayResponse: (r, i) => core?.onStrayResponseReceived(r, i),
    });
    const contact = () => ({ uri: sipUri(address, { user, port }), params: new Params() });
    core = new UserAgentCore(layer, { random, log, userAgent: 'HT813 fax test', aor: () => sipUri(address, { user }), contact });
    return new SipSignalling(
      { core, registered: () => true, serverTarget: () => undefined, domain: () => domain, credentials: () => undefined, aor: () => sipUri(address, { user }), contact, protocol: () => 'udp' },
      () => ({ allowUnregistered: true, rel100: false, sessionTimer: DEFAULT_SESSION_TIMER }),
      { clock, random, log: log.child({ unit: address, port }) },
    );
  }

  return {
    clock,
    net,
    log,
    udp,
    unit(address: string, user: string, values: Record<number, string> = {}, opts: UnitOptions = {}): RigUnit {
      const params = new MapParams(values);
      const ulog = log.child({ unit: address });
      const mediaClock = new MediaClock(clock);
      const fxs = new SimFxsPort(clock, ulog, DEFAULT_FXS_CONFIG);
      const jack = new Loop(clock, 'fxs');
      const phone = new SimulatedPhone({ clock });
      jack.attachExchange(fxs.line);
      jack.attachTerminal(phone);
      const factory = new RtpMediaFactory({ clock, random, log: ulog, bind: udp.bind, settings: () => readRtpSettings(params, `${user}@${address}`) });
      const sessions: RtpMediaSession[] = [];
      const media = {
        implementedCodecs: () => factory.implementedCodecs(),
        create: (a: string, p: number): RtpMediaSession => {
          const s = factory.create(a, p);
          sessions.push(s);
          return s;
        },
      };
      const line = new FxsLine({
        lineNumber: 1,
        line: new HwLinePort(fxs, mediaClock, ulog),
        media,
        signalling: account(address, 5060, user, opts.domain ?? '127.0.0.99'),
        dialPlan: new GrandstreamDialPlan(),
        params,
        features: new MemoryFeatureStore(),
        clock,
        random,
        log: ulog,
        mediaAddress: address,
        rtpBasePort: 5004,
        sdpUser: user,
      });
      line.start();
      if (!opts.fxo) return { address, phone, line, params, sessions };
      const fxo = new SimFxoPort(clock, ulog, DEFAULT_FXO_CONFIG);
      const fxoJack = new Loop(clock, 'fxo');
      const co = new CentralOffice({ clock, numberLength: 7, answerAfterMs: 500 });
      fxoJack.attachTerminal(fxo);
      fxoJack.attachExchange(co.line);
      const gateway = new FxoGateway({
        fxo,
        signalling: account(address, 5062, '2000', '127.0.0.99'),
        media,
        mediaClock,
        params,
        clock,
        random,
        log: ulog.child({ port: 'fxo' }),
        mediaAddress: address,
        rtpPort: () => 5012,
        sdpUser: user,
        accountUser: () => '2000',
      });
      gateway.attachPhone(line);
      return { address, phone, line, params, sessions, gateway, co };
    },
  };
}
