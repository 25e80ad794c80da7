/*
 * The smaller SIP usages against a scripted peer core on the in-memory network (FakeClock).
 * Plan: MWI — SUBSCRIBE message-summary (RFC 3842) is sent, accepted, refreshed before expiry;
 * NOTIFY "yes" lights the phone's MWI and makes the next dial tone stutter, "no" clears it; a
 * refused SUBSCRIBE is retried. 100rel — a reliable 180 (Require: 100rel, RSeq) is PRACKed
 * (RFC 3262 §4); as UAS with P272 on, our 180 goes reliably, is resent from T1 doubling until the
 * PRACK, and without one the INVITE gets 504 after 64·T1; Require: 100rel gets 420 while P272 is off. A 2xx never ACKed is retransmitted from T1 doubling to T2, then the call ends
 * with BYE after 64·T1 (RFC 3261 §13.3.1.4).
 */
import assert from 'node:assert/strict';
import { Dialog } from '../../cpe/voice/sip/dialog/dialog';
import { Params, sipUri, type SipRequest, type SipResponse } from '../../cpe/voice/sip/syntax';
import type { UserAgentCore } from '../../cpe/voice/sip/ua/user-agent-core';
import type { AccountLink } from '../../cpe/voice/calls/sip-signalling';
import { MwiSubscription } from '../../cpe/voice/calls/mwi-subscription';
import { sipRig, starIp } from './sip-rig';

/** Account 1001 of the unit at 127.0.0.1, its server at 127.0.0.2. */
function link(core: UserAgentCore): AccountLink {
  return {
    core,
    registered: () => true,
    serverTarget: () => ({ protocol: 'udp', address: '127.0.0.2', port: 5060 }),
    domain: () => '127.0.0.2',
    credentials: () => undefined,
    aor: () => sipUri('127.0.0.2', { user: '1001' }),
    contact: () => ({ uri: sipUri('127.0.0.1', { user: '1001', port: 5060 }), params: new Params() }),
    protocol: () => 'udp',
  };
}

function rawPeer(rig: ReturnType<typeof sipRig>) {
  const peer = rig.unit('127.0.0.2', '1002');
  peer.sip.uninstall();
  return peer;
}

describe('SIP usages: MWI, 100rel, 2xx retransmission', () => {
  it('MWI: SUBSCRIBE, NOTIFY yes → MWI lamp and stutter tone, NOTIFY no clears; refresh before expiry', () => {
    const rig = sipRig();
    const a = rig.unit('127.0.0.1', '1001');
    const server = rawPeer(rig);
    const subscribes: SipRequest[] = [];
    let dialog: Dialog | undefined;
    server.core.handle('SUBSCRIBE', (req, tx) => {
      subscribes.push(req);
      const res = server.core.makeResponse(req, 200, { headers: [['Expires', '600']] });
      res.contact = [{ uri: sipUri('127.0.0.2', { port: 5060 }), params: new Params() }];
      tx.respond(res);
      dialog ??= Dialog.fromUasRequest(req, res.to.params.get('tag') as string);
    });
    server.core.onInDialogRequest = (req, tx) => {
      if (req.method === 'SUBSCRIBE') subscribes.push(req);
      tx.respond(server.core.makeResponse(req, 200, { headers: [['Expires', '600']] }));
    };
    const mwi = new MwiSubscription(link(a.core), { clock: rig.clock, log: rig.log }, (w) => a.line.setMessageWaiting(w));
    a.sip.addUsage(mwi);
    mwi.start();
    rig.clock.advance(5);
    assert.equal(subscribes.length, 1);
    assert.equal(subscribes[0]!.headers.get('Event'), 'message-summary');
    assert.equal(subscribes[0]!.headers.get('Accept'), 'application/simple-message-summary');
    const notify = (body: string): void => {
      const n = dialog!.createRequest('NOTIFY', { headers: [['Event', 'message-summary'], ['Subscription-State', 'active;expires=600'], ['Content-Type', 'application/simple-message-summary']], body: Buffer.from(body) });
      server.core.request(n, { protocol: 'udp', address: '127.0.0.1', port: 5060 }, {});
      rig.clock.advance(5);
    };
    notify('Messages-Waiting: yes\r\nVoice-Message: 1/0\r\n');
    assert.equal(a.phone.mwi, true);
    a.phone.offHook();
    assert.equal(a.phone.tone, 'f1=350@-17,f2=440@-17,c=100/100;', 'stutter dial tone');
    a.phone.onHook();
    notify('Messages-Waiting: no\r\n');
    assert.equal(a.phone.mwi, false);
    // refresh at 600 − 60 s, in the dialog
    rig.clock.advance(540_000);
    assert.equal(subscribes.length, 2);
    assert.equal(subscribes[1]!.to.params.get('tag'), dialog!.id.localTag);
    mwi.stop();
  });

  it('MWI: a refused SUBSCRIBE is retried after the retry interval', () => {
    const rig = sipRig();
    const a = rig.unit('127.0.0.1', '1001');
    const server = rawPeer(rig);
    let count = 0;
    server.core.handle('SUBSCRIBE', (req, tx) => {
      count++;
      tx.respond(server.core.makeResponse(req, 489));
    });
    const mwi = new MwiSubscription(
      link(a.core),
      { clock: rig.clock, log: rig.log, retryMs: 30_000 },
      () => undefined,
    );
    mwi.start();
    rig.clock.advance(5);
    assert.equal(count, 1);
    rig.clock.advance(29_990);
    assert.equal(count, 1);
    rig.clock.advance(20);
    assert.equal(count, 2);
    mwi.stop();
  });

  it('100rel: a reliable 180 is acknowledged with PRACK (RAck = RSeq CSeq INVITE)', () => {
    const rig = sipRig();
    const a = rig.unit('127.0.0.1', '1001', {}, { rel100: true });
    const b = rawPeer(rig);
    b.core.onInvite = (req, tx) => {
      const res = b.core.makeResponse(req, 180, { headers: [['Require', '100rel'], ['RSeq', '7']] });
      res.contact = [{ uri: sipUri('127.0.0.2', { user: '1002', port: 5060 }), params: new Params() }];
      tx.respond(res);
    };
    a.phone.offHook();
    a.phone.dial(starIp('127.0.0.2'));
    rig.clock.advance(10);
    const msgs = rig.net.messages();
    const invite = msgs.find((m) => m.type === 'request' && m.method === 'INVITE') as SipRequest;
    assert.match(invite.headers.getAll('Supported').join(','), /100rel/);
    const prack = msgs.find((m) => m.type === 'request' && m.method === 'PRACK') as SipRequest | undefined;
    assert.ok(prack, 'PRACK sent');
    assert.equal(prack.headers.get('RAck'), `7 ${invite.cseq.seq} INVITE`);
    assert.equal(a.phone.tone, a.line.settings().tones.ringback);
  });

  it('100rel as UAS: two units with P272 on: the 180 goes reliably (Require, RSeq), is PRACKed once, not resent', () => {
    const rig = sipRig();
    const a = rig.unit('127.0.0.1', '1001', {}, { rel100: true });
    const b = rig.unit('127.0.0.2', '1002', {}, { rel100: true });
    a.phone.offHook();
    a.phone.dial(starIp('127.0.0.2'));
    rig.clock.advance(10);
    const ringings = (): SipResponse[] =>
      rig.net.log.map((r) => r.message).filter((m): m is SipResponse => m.type === 'response' && m.status === 180);
    const first = ringings()[0];
    assert.ok(first, '180 sent');
    assert.equal(first.headers.get('Require'), '100rel');
    const rseq = Number(first.headers.get('RSeq'));
    assert.ok(rseq >= 1 && rseq < 2 ** 31);
    const pracks = rig.net.log.filter((r) => r.message.type === 'request' && r.message.method === 'PRACK');
    assert.equal(pracks.length, 1);
    const prackOk = rig.net.log.some((r) => r.message.type === 'response' && r.message.cseq.method === 'PRACK' && r.message.status === 200);
    assert.ok(prackOk, 'PRACK answered 200');
    rig.clock.advance(10_000);
    assert.equal(ringings().length, 1, 'no retransmission once PRACKed');
    b.phone.offHook();
    rig.clock.advance(10);
    assert.equal(a.line.state, 'talking');
  });

  it('100rel as UAS: no PRACK → 180 resent at T1, 2T1, 4T1… (no T2 cap), then 504 after 64·T1 and the phone stops ringing', () => {
    const rig = sipRig();
    const b = rig.unit('127.0.0.2', '1002', {}, { rel100: true });
    const caller = rig.unit('127.0.0.1', '1001');
    caller.sip.uninstall();
    const finals: SipResponse[] = [];
    const invite = caller.core.createRequest('INVITE', sipUri('127.0.0.2', { user: '1002', port: 5060 }));
    invite.headers.add('Supported', '100rel');
    caller.core.request(invite, { protocol: 'udp', address: '127.0.0.2', port: 5060 }, { onFinal: (r) => finals.push(r) });
    rig.clock.advance(10);
    assert.ok(b.phone.ringing);
    rig.clock.advance(33_000);
    const times = rig.net.log.filter((r) => r.message.type === 'response' && r.message.status === 180).map((r) => r.at);
    // sent at ~0, then T1, 3T1, 7T1, 15T1, 31T1 after the first (intervals 500, 1000, 2000, 4000, 8000, 16000)
    const gaps = times.slice(1).map((t, i) => t - (times[i] as number));
    assert.deepEqual(gaps.slice(0, 5), [500, 1000, 2000, 4000, 8000]);
    assert.equal(finals.length, 1);
    assert.equal(finals[0]?.status, 504);
    assert.equal(b.phone.ringing, undefined, 'the phone stopped ringing');
    assert.equal(b.line.state, 'idle');
  });

  it('100rel: an INVITE that Requires it gets 420 while P272 is off, and rings while it is on', () => {
    const rig = sipRig();
    const b = rig.unit('127.0.0.2', '1002');
    const caller = rig.unit('127.0.0.1', '1001');
    caller.sip.uninstall();
    const statuses: number[] = [];
    const call = (): void => {
      const invite = caller.core.createRequest('INVITE', sipUri('127.0.0.2', { user: '1002', port: 5060 }));
      invite.headers.add('Require', '100rel');
      caller.core.request(invite, { protocol: 'udp', address: '127.0.0.2', port: 5060 }, {
        onProgress: (r) => statuses.push(r.status),
        onFinal: (r) => statuses.push(r.status),
      });
      rig.clock.advance(10);
    };
    call();
    assert.ok(statuses.includes(420), `got ${statuses.join(',')}`);
    const unsupported = rig.net.log.map((r) => r.message).find((m) => m.type === 'response' && m.status === 420);
    assert.equal(unsupported?.headers.get('Unsupported'), '100rel');
    statuses.length = 0;
    b.settings.value = { ...b.settings.value, rel100: true };
    call();
    assert.ok(statuses.includes(180), `got ${statuses.join(',')}`);
    assert.ok(b.phone.ringing);
  });

  it('a PRACK naming no reliable response of ours gets 481 (RFC 3262 §4)', () => {
    const rig = sipRig();
    const b = rig.unit('127.0.0.2', '1002');
    const a = rig.unit('127.0.0.1', '1001', {}, { rel100: true });
    a.phone.offHook();
    a.phone.dial(starIp('127.0.0.2'));
    rig.clock.advance(10);
    // b does not do 100rel: its 180 is unreliable, a sends no PRACK; forge one in the early dialog
    assert.equal(rig.net.log.filter((r) => r.message.type === 'request' && r.message.method === 'PRACK').length, 0);
    const ringing = rig.net.log.map((r) => r.message).find((m): m is SipResponse => m.type === 'response' && m.status === 180);
    assert.ok(ringing);
    const d = Dialog.fromUacResponse(rig.net.log.map((r) => r.message).find((m): m is SipRequest => m.type === 'request' && m.method === 'INVITE')!, ringing);
    const prack = d.createRequest('PRACK', { headers: [['RAck', '1 1 INVITE']] });
    const got: number[] = [];
    a.core.request(prack, { protocol: 'udp', address: '127.0.0.2', port: 5060 }, { onFinal: (r) => got.push(r.status) });
    rig.clock.advance(10);
    assert.deepEqual(got, [481]);
    assert.ok(b.phone.ringing !== undefined, 'the call goes on');
  });

  it('DTMF by priority (P850–P852): RFC 4733 when negotiated, else SIP INFO (application/dtmf-relay), else in-audio', () => {
    const talk = (values: Record<number, string>, far: Record<number, string> = { 850: '101', 851: '102', 852: '100' }) => {
      const rig = sipRig();
      const a = rig.unit('127.0.0.1', '1001', values);
      const b = rig.unit('127.0.0.2', '1002', far);
      a.phone.offHook();
      a.phone.dial(starIp('127.0.0.2'));
      rig.clock.advance(10);
      b.phone.offHook();
      rig.clock.advance(10);
      assert.equal(a.line.state, 'talking');
      a.phone.dial('5#');
      rig.clock.advance(10);
      const infos = rig.net.log.map((r) => r.message).filter((m): m is SipRequest => m.type === 'request' && m.method === 'INFO');
      const infoOk = rig.net.log.filter((r) => r.message.type === 'response' && r.message.cseq.method === 'INFO' && r.message.status === 200).length;
      return { infos, infoOk, events: a.media.live().flatMap((m) => m.digits) };
    };
    // defaults: telephone-event offered and accepted → RFC 4733, no INFO
    const def = talk({});
    assert.deepEqual(def.events, ['5', '#']);
    assert.equal(def.infos.length, 0);
    // SIP INFO first
    const info = talk({ 850: '102', 851: '101', 852: '100' });
    assert.deepEqual(info.events, []);
    assert.deepEqual(info.infos.map((m) => m.body.toString()), ['Signal=5\r\nDuration=100\r\n', 'Signal=#\r\nDuration=100\r\n']);
    assert.equal(info.infos[0]?.headers.get('Content-Type'), 'application/dtmf-relay');
    assert.equal(info.infoOk, 2, 'the far end answers INFO 200');
    // defaults, but the far end does not accept telephone-event: priority 2, SIP INFO
    const fallback = talk({}, { 850: '102', 851: '100', 852: '100' });
    assert.deepEqual(fallback.events, []);
    assert.equal(fallback.infos.length, 2);
    // in-audio first: neither events nor INFO (the tone is in the phone's audio)
    const audio = talk({ 850: '100', 851: '101', 852: '102' });
    assert.deepEqual(audio.events, []);
    assert.equal(audio.infos.length, 0);
  });

  it('a 2xx never ACKed: retransmitted T1, 2T1, 4T1… capped at T2, then BYE after 64·T1', () => {
    const rig = sipRig();
    const a = rig.unit('127.0.0.1', '1001');
    const b = rig.unit('127.0.0.2', '1002');
    rig.net.drop = (r) => r.message.type === 'request' && r.message.method === 'ACK';
    a.phone.offHook();
    a.phone.dial(starIp('127.0.0.2'));
    rig.clock.advance(5);
    b.phone.offHook();
    rig.clock.advance(5);
    const oks = (): number => rig.net.log.filter((r) => r.message.type === 'response' && r.message.status === 200 && r.message.cseq.method === 'INVITE').length;
    assert.equal(oks(), 1);
    rig.clock.advance(500);
    assert.equal(oks(), 2);
    rig.clock.advance(1000);
    assert.equal(oks(), 3);
    rig.clock.advance(32_000);
    assert.ok(rig.net.messages().some((m) => m.type === 'request' && m.method === 'BYE'), 'BYE after 64·T1 without ACK');
    assert.equal(b.line.state, 'dialTone');
  });
});
