/** Hand-written fakes for the FXS line: the phone's port, media sessions, SIP calls. */
import type { PromptId } from '../../cpe/media/prompts/prompt-text';
import type { FaxTone } from '../../cpe/media/dsp/fax-tone-detector';
import type { NegotiatedMedia } from '../../cpe/voice/sdp/offer-answer';
import type {
  CallEvents,
  CallerIdInfo,
  CallSignalling,
  IncomingCallInfo,
  LineEvent,
  LinePort,
  MediaFactory,
  MediaSession,
  OutgoingCallRequest,
  PstnCall,
  PstnLine,
  RemoteParty,
  SignallingCall,
} from '../../cpe/voice/fxs/ports';

export class FakeMediaSession implements MediaSession {
  updates: NegotiatedMedia[] = [];
  digits: string[] = [];
  stopped = false;
  constructor(readonly localAddress: string, readonly localPort: number) {}
  update(media: NegotiatedMedia): void {
    this.updates.push(media);
  }
  sendDigit(digit: string): void {
    this.digits.push(digit);
  }
  stop(): void {
    this.stopped = true;
  }
  get last(): NegotiatedMedia | undefined {
    return this.updates[this.updates.length - 1];
  }
  /** Fax: the leg's tone listener, and whether the media path was switched to pass-through. */
  private faxListener: ((tone: FaxTone, from: 'line' | 'network') => void) | undefined;
  passThrough = false;
  onFaxTone(listener: (tone: FaxTone, from: 'line' | 'network') => void): void {
    this.faxListener = listener;
  }
  faxPassThrough(): void {
    this.passThrough = true;
  }
  /** The media layer heard a fax tone. */
  hearFax(tone: FaxTone, from: 'line' | 'network'): void {
    this.faxListener?.(tone, from);
  }
}

export class FakeMedia implements MediaFactory {
  sessions: FakeMediaSession[] = [];
  codecs: string[] = ['PCMU', 'PCMA'];
  implementedCodecs(): readonly string[] {
    return this.codecs;
  }
  create(address: string, port: number): MediaSession {
    const s = new FakeMediaSession(address, port);
    this.sessions.push(s);
    return s;
  }
  live(): FakeMediaSession[] {
    return this.sessions.filter((s) => !s.stopped);
  }
}

export class FakeLinePort implements LinePort {
  tone: string | undefined;
  tones: (string | undefined)[] = [];
  ringing: { cadence: string; callerId?: CallerIdInfo } | undefined;
  cw: { tone: string | undefined; callerId?: CallerIdInfo } | undefined;
  mwi = false;
  connected: readonly MediaSession[] = [];
  private listeners: ((e: LineEvent) => void)[] = [];

  onEvent(listener: (e: LineEvent) => void): () => void {
    this.listeners.push(listener);
    return () => {
      this.listeners = this.listeners.filter((l) => l !== listener);
    };
  }
  playTone(tone: string | undefined): void {
    this.tone = tone;
    this.tones.push(tone);
  }
  ring(cadence: string, callerId?: CallerIdInfo): void {
    this.ringing = { cadence, ...(callerId ? { callerId } : {}) };
  }
  stopRing(): void {
    this.ringing = undefined;
  }
  alertCallWaiting(tone: string | undefined, callerId?: CallerIdInfo): void {
    this.cw = { tone, ...(callerId ? { callerId } : {}) };
  }
  stopCallWaiting(): void {
    this.cw = undefined;
  }
  setMessageWaiting(waiting: boolean): void {
    this.mwi = waiting;
  }
  connect(sessions: readonly MediaSession[]): void {
    this.connected = sessions;
  }
  /** Every prompt sequence played, in order; `pending` is the one playing now. */
  prompts: (readonly PromptId[])[] = [];
  private pending: (() => void) | undefined;
  playPrompt(words: readonly PromptId[], done: () => void): void {
    this.prompts.push(words);
    this.pending = done;
  }
  stopPrompt(): void {
    this.pending = undefined;
  }
  get prompting(): boolean {
    return this.pending !== undefined;
  }
  /** The prompt now playing ends; the line may start the next one. */
  finishPrompt(): void {
    const done = this.pending;
    this.pending = undefined;
    done?.();
  }
  /** Lets every prompt play to its end (at most `limit`), returning the words heard, joined. */
  listen(limit = 20): string[] {
    const heard: string[] = [];
    for (let i = 0; i < limit && this.pending; i++) {
      heard.push(...(this.prompts[this.prompts.length - 1] ?? []));
      this.finishPrompt();
    }
    return heard;
  }

  emit(e: LineEvent): void {
    for (const l of this.listeners) l(e);
  }
  offHook(): void {
    this.emit({ type: 'offHook' });
  }
  onHook(): void {
    this.emit({ type: 'onHook' });
  }
  flash(): void {
    this.emit({ type: 'flash' });
  }
  dial(keys: string): void {
    for (const digit of keys) this.emit({ type: 'digit', digit });
  }
}

export class FakeCall implements SignallingCall {
  events: CallEvents | undefined;
  ringingSent = 0;
  accepted: string | undefined;
  rejected: { status: number; reason?: string } | undefined;
  redirected: string | undefined;
  hungUp = 0;
  reoffers: string[] = [];
  refers: { target: string; replaces?: SignallingCall }[] = [];

  constructor(
    readonly id: string,
    readonly direction: 'outgoing' | 'incoming',
    readonly remote: RemoteParty,
    readonly request?: OutgoingCallRequest,
  ) {}
  setEvents(events: CallEvents): void {
    this.events = events;
  }
  ringing(): void {
    this.ringingSent++;
  }
  accept(sdp: string): void {
    this.accepted = sdp;
  }
  reject(status: number, reason?: string): void {
    this.rejected = { status, ...(reason ? { reason } : {}) };
  }
  redirect(target: string): void {
    this.redirected = target;
  }
  hangup(): void {
    this.hungUp++;
  }
  reoffer(sdp: string): void {
    this.reoffers.push(sdp);
  }
  refer(target: string, replaces?: SignallingCall): void {
    this.refers.push({ target, ...(replaces ? { replaces } : {}) });
  }
  replacesValue(): string | undefined {
    return `${this.id};to-tag=t;from-tag=f`;
  }
  infoDigits: string[] = [];
  /** Answers INFO like a confirmed dialog once accepted (incoming) or answered (outgoing, set by the test). */
  confirmed = false;
  dtmfInfo(digit: string): boolean {
    if (!this.confirmed && this.accepted === undefined) return false;
    this.infoDigits.push(digit);
    return true;
  }
  get ev(): CallEvents {
    if (!this.events) throw new Error(`call ${this.id} has no events bound`);
    return this.events;
  }
  get lastReoffer(): string | undefined {
    return this.reoffers[this.reoffers.length - 1];
  }
}

export class FakeSignalling implements CallSignalling {
  registered = true;
  invites: FakeCall[] = [];
  private handler: ((info: IncomingCallInfo) => void) | undefined;
  private seq = 0;

  canCall(): boolean {
    return this.registered;
  }
  /** The next invite() throws (no route to the server). */
  failNext = false;
  invite(request: OutgoingCallRequest): SignallingCall {
    if (this.failNext) {
      this.failNext = false;
      throw new Error('no route');
    }
    const c = new FakeCall(`out${++this.seq}`, 'outgoing', { uri: request.target.startsWith('sip:') ? request.target : `sip:${request.target}@example.test`, number: request.target, anonymous: false }, request);
    this.invites.push(c);
    return c;
  }
  onIncoming(handler: (info: IncomingCallInfo) => void): void {
    this.handler = handler;
  }
  /** `offer` null = a delayed offer (INVITE without SDP); `requestUser` the Request-URI's user part. */
  incoming(remote: Partial<RemoteParty> & { number: string }, offer: string | null = peerSdp(40000), requestUser?: string): FakeCall {
    const c = new FakeCall(`in${++this.seq}`, 'incoming', { uri: `sip:${remote.number}@example.test`, anonymous: false, ...remote });
    this.handler?.({ call: c, offer: offer ?? undefined, ...(requestUser !== undefined ? { requestUser } : {}) });
    return c;
  }
  get last(): FakeCall {
    const c = this.invites[this.invites.length - 1];
    if (!c) throw new Error('no INVITE sent');
    return c;
  }
}

/** A peer's SDP (offer or answer). */
export function peerSdp(port: number, opts: { direction?: string; formats?: string; address?: string; version?: number } = {}): string {
  const formats = opts.formats ?? '0 101';
  const maps: Record<string, string> = { '0': 'PCMU/8000', '8': 'PCMA/8000', '18': 'G729/8000', '101': 'telephone-event/8000' };
  const lines = [
    'v=0',
    `o=peer 1 ${opts.version ?? 1} IN IP4 ${opts.address ?? '127.0.0.2'}`,
    's=-',
    `c=IN IP4 ${opts.address ?? '127.0.0.2'}`,
    't=0 0',
    `m=audio ${port} RTP/AVP ${formats}`,
    ...formats.split(' ').map((f) => `a=rtpmap:${f} ${maps[f] ?? 'X/8000'}`),
    ...(opts.direction ? [`a=${opts.direction}`] : []),
  ];
  return lines.join('\r\n') + '\r\n';
}

/** A ParamReader over a plain map: values given win, everything else throws (so settings fall back to HT813 defaults). */
export class MapParams {
  constructor(private readonly values: Record<number, string> = {}) {}
  get(id: number): string {
    const v = this.values[id];
    if (v === undefined) throw new Error(`P${id} not set`);
    return v;
  }
  set(id: number, value: string): void {
    this.values[id] = value;
  }
}

/** The PSTN line for `L:` routes: records calls; `busy` refuses them; `farEndHangsUp` ends the last. */
export class FakePstn implements PstnLine {
  busy = false;
  calls: { number: string; hungUp: number; flashes: number; media: FakeMediaSession; ended(reason: string): void }[] = [];
  call(number: string, events: { ended(reason: string): void }): PstnCall | undefined {
    if (this.busy) return undefined;
    const c = { number, hungUp: 0, flashes: 0, media: new FakeMediaSession('', 0), ended: (r: string) => events.ended(r) };
    this.calls.push(c);
    return { media: c.media, hangup: () => void c.hungUp++, flash: () => void c.flashes++ };
  }
  /** A PSTN call rings the phone: answer() takes it while `ringing`. */
  ringing = false;
  answer(events: { ended(reason: string): void }): PstnCall | undefined {
    if (!this.ringing) return undefined;
    this.ringing = false;
    return this.call('', events);
  }
  farEndHangsUp(): void {
    this.calls[this.calls.length - 1]?.ended('far end hung up');
  }
}
