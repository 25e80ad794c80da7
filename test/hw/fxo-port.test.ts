/**
 * Test plan: the FXO port on a simulated PSTN line (central office), FakeClock only.
 *  - ring detection and count, ring stop after P3630 s; caller ID decoded before answering (FSK, DTMF),
 *    with the P846 seizure requirement;
 *  - seize → dial tone → DTMF dialing with P3300/P3302 timing → the CO collects the number → answer;
 *  - disconnect detection, each method alone: busy tone (P712/P841), polarity (P28101), loop current (P893/P764);
 *  - hook flash of P838 ms seen by the CO.
 */
import assert from 'node:assert/strict';
import { FakeClock } from '../support/fake-clock';
import { silentLogger } from '../../cpe/shared/logger';
import { Loop } from '../../cpe/hw/loop';
import { SimFxoPort } from '../../cpe/hw/fxo-port';
import { CentralOffice, type CentralOfficeOptions } from '../../cpe/hw/sim/central-office';
import { DEFAULT_FXO_CONFIG, type FxoConfig } from '../../cpe/hw/config';
import type { FxoEvent } from '../../cpe/hw/types';

function rig(cfg: Partial<FxoConfig> = {}, co: Partial<CentralOfficeOptions> = {}) {
  const clock = new FakeClock();
  const fxo = new SimFxoPort(clock, silentLogger, { ...DEFAULT_FXO_CONFIG, ...cfg });
  const office = new CentralOffice({ clock, numberLength: 7, ...co });
  const loop = new Loop(clock, 'pstn');
  loop.attachExchange(office.line);
  loop.attachTerminal(fxo);
  const events: FxoEvent[] = [];
  fxo.on((e) => events.push(e));
  const kinds = () => events.filter((e) => e.type !== 'state').map((e) => (e.type === 'ring' ? `ring${e.count}` : e.type === 'disconnect' ? `disconnect:${e.cause}` : e.type));
  return { clock, fxo, office, loop, events, kinds };
}

async function placeCall(r: ReturnType<typeof rig>, number = '5551234') {
  r.fxo.seize();
  r.clock.advance(600);
  assert.ok(r.kinds().includes('dialTone'), 'dial tone recognised');
  const d = r.fxo.dial(number);
  r.clock.advance(number.length * 200 + 100);
  await d;
  assert.deepEqual(r.office.dialed, [number]);
}

describe('hw/fxo-port', () => {
  it('counts rings (each after 350 ms of ring voltage) and reports ring stop after P3630 s of silence', () => {
    const r = rig({ ringTimeoutS: 6 });
    r.office.call();
    r.clock.advance(12_000 + 350);
    assert.equal(r.fxo.state, 'ringing');
    assert.equal(r.fxo.ringCount, 3);
    r.office.callerAbandons();
    r.clock.advance(6000 - 1);
    assert.equal(r.fxo.state, 'ringing');
    r.clock.advance(1);
    assert.equal(r.fxo.state, 'idle');
    assert.deepEqual(r.kinds(), ['ring1', 'ring2', 'ring3', 'ringStopped']);
    assert.equal(r.clock.timerCount, 0);
  });

  it('counts a double-ring cadence once per cycle and ignores a ring-pulse alert', () => {
    const r = rig({ cidScheme: 4 }, { ringCadence: [{ onMs: 400, offMs: 200 }, { onMs: 400, offMs: 2000 }], callerIdScheme: 4 });
    r.office.call({ number: '02079460000' });
    r.clock.advance(900);
    assert.equal(r.fxo.state, 'idle', 'the 250 ms ring-pulse alert is not a ring');
    r.clock.advance(2000 + 6000);
    assert.equal(r.fxo.callerId?.number, '02079460000');
    assert.equal(r.fxo.ringCount, 3, `three double rings: ${r.kinds().join(',')}`);
  });

  it('decodes Bellcore FSK caller ID between the first and second ring', () => {
    const r = rig();
    r.office.call({ number: '6175550100', name: 'PSTN CALLER' });
    r.clock.advance(6000 + 350);
    assert.deepEqual(r.kinds(), ['ring1', 'callerId', 'ring2']);
    assert.equal(r.fxo.callerId?.number, '6175550100');
    assert.equal(r.fxo.callerId?.name, 'PSTN CALLER');
  });

  it('needs the P846 seizure bits before the P847 mark bits: more seizure than the line sends decodes nothing', () => {
    const r = rig({ fskSeizureBits: 500 }); // the office sends 300 (GR-30)
    r.office.call({ number: '6175550100', name: 'PSTN CALLER' });
    r.clock.advance(6000 + 350);
    assert.deepEqual(r.kinds(), ['ring1', 'ring2']);
    assert.equal(r.fxo.callerId, undefined);
  });

  it('decodes ETSI FSK (V.23) caller ID sent before ringing when P863 says so', () => {
    const r = rig({ cidScheme: 2 }, { callerIdScheme: 2 });
    r.office.call({ number: '0207946000' });
    r.clock.advance(2000);
    assert.deepEqual(r.kinds().slice(0, 2), ['callerId', 'ring1']);
    assert.equal(r.fxo.callerId?.number, '0207946000');
  });

  it('decodes DTMF caller ID when P863 is a DTMF scheme', () => {
    const r = rig({ cidScheme: 6 }, { callerIdScheme: 6 });
    r.office.call({ number: '4512345678' });
    r.clock.advance(3000);
    assert.equal(r.fxo.callerId?.number, '4512345678');
  });

  it('answers an incoming call by seizing: connected', () => {
    const r = rig();
    r.office.call({ number: '6175550100' });
    r.clock.advance(7000);
    r.fxo.seize();
    assert.equal(r.fxo.state, 'connected');
    assert.equal(r.office.state, 'connected');
  });

  it('dials with the P3300 digit length and P3302 pause', async () => {
    const r = rig({ dtmfDigitMs: 60, dtmfPauseMs: 80 });
    r.fxo.seize();
    r.clock.advance(600);
    const d = r.fxo.dial('5551234');
    assert.equal(r.fxo.state, 'dialing');
    r.clock.advance(7 * 140 + 40 - 1);
    assert.equal(r.fxo.state, 'dialing', 'seven digits of 60 + 80 ms take 980 ms');
    r.clock.advance(1);
    assert.equal(r.fxo.state, 'seized');
    await d;
    assert.deepEqual(r.office.dialed, ['5551234']);
    assert.equal(r.fxo.state, 'seized');
    assert.equal(r.office.state, 'ringback');
  });

  it('polarity reversal (P28101): answer supervision, then disconnect', async () => {
    const r = rig({ polarityDetection: true }, { disconnectTone: false, openSwitchMs: 0 });
    await placeCall(r);
    r.clock.advance(3000);
    assert.equal(r.fxo.state, 'connected', 'answered by polarity reversal');
    r.office.farEndHangUp();
    assert.equal(r.fxo.state, 'disconnected');
    assert.ok(r.kinds().includes('disconnect:polarity'));
  });

  it('disconnect tone (P712/P841) alone is detected', async () => {
    const r = rig({ disconnectToneDetection: true, currentDisconnect: false }, { polarityOnAnswer: false, openSwitchMs: 0 });
    await placeCall(r);
    r.clock.advance(3000);
    r.fxo.setConnected();
    r.office.farEndHangUp();
    r.clock.advance(1500);
    assert.equal(r.fxo.state, 'disconnected');
    assert.ok(r.kinds().includes('disconnect:busyTone'));
  });

  it('disconnect tone is ignored when P712 is off', async () => {
    const r = rig({ disconnectToneDetection: false, currentDisconnect: false }, { polarityOnAnswer: false, openSwitchMs: 0 });
    await placeCall(r);
    r.clock.advance(3000);
    r.fxo.setConnected();
    r.office.farEndHangUp();
    r.clock.advance(5000);
    assert.equal(r.fxo.state, 'connected');
  });

  it('loop current (P893/P764): an interruption longer than the threshold disconnects, a shorter one does not', async () => {
    const short = rig({ currentDisconnectMs: 300 }, { polarityOnAnswer: false, disconnectTone: false, openSwitchMs: 299 });
    await placeCall(short);
    short.clock.advance(3000);
    short.fxo.setConnected();
    short.office.farEndHangUp();
    short.clock.advance(3000);
    assert.equal(short.fxo.state, 'connected');

    const long = rig({ currentDisconnectMs: 300 }, { polarityOnAnswer: false, disconnectTone: false, openSwitchMs: 300 });
    await placeCall(long);
    long.clock.advance(3000);
    long.fxo.setConnected();
    long.office.farEndHangUp();
    long.clock.advance(3000);
    assert.equal(long.fxo.state, 'disconnected');
    assert.ok(long.kinds().includes('disconnect:loopCurrent'));
  });

  it('sends a hook flash of P838 ms that the CO recognises', async () => {
    const r = rig({ flashMs: 600 });
    await placeCall(r);
    r.clock.advance(3000);
    r.fxo.setConnected();
    const f = r.fxo.flash();
    r.clock.advance(700);
    await f;
    assert.equal(r.office.flashes, 1);
    assert.equal(r.fxo.state, 'connected');
  });

  it('busy and reorder numbers: the FXO hears them as audio (the voice layer decides)', async () => {
    const r = rig();
    r.office.behaviour('5550000', 'busy');
    await placeCall(r, '5550000');
    assert.equal(r.office.state, 'busy');
    r.fxo.release();
    r.clock.advance(1200);
    assert.equal(r.office.state, 'idle');
  });
});
