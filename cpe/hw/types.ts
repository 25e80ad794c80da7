/**
 * The line hardware's vocabulary: what an FXS port tells the voice layer (hook, flash, digits) and
 * what it accepts (ring, tones, caller ID, polarity, MWI, audio); the same for the FXO port; LEDs.
 * hw/ knows nothing of SIP (ARCHITECTURE.md, cpe/hw row).
 */
import type { Cancel } from '../shared/clock';
import type { ToneDefinition } from '../media/dsp/tone-generator';

/** A 20 ms frame of 8 kHz 16-bit linear audio (160 samples, cpe/media/dsp/audio.ts). */
export type AudioFrame = Int16Array;

/** What a phone's caller-ID display shows (media's type: dateTime MMDDHHMM, number, name, absence codes O/P). */
export type { CallerId } from '../media/callerid/cid-message';
import type { CallerId } from '../media/callerid/cid-message';

/**
 * Caller-ID schemes of P853 (FXS) / P863 (FXO), reference §7. The numbers are the P-value values.
 */
export const CALLER_ID_SCHEMES = {
  0: 'bellcore',
  1: 'etsiFskDuringRing',
  2: 'etsiFskPriorDtas',
  3: 'etsiFskPriorLrDtas',
  4: 'etsiFskPriorRpas',
  5: 'etsiDtmfDuringRing',
  6: 'etsiDtmfPriorDtas',
  7: 'etsiDtmfPriorLrDtas',
  8: 'etsiDtmfPriorRpas',
  9: 'sin227',
  10: 'ntt',
  11: 'dtmfDenmark',
  12: 'dtmfDenmarkLr',
  13: 'dtmfSwedenFinlandLr',
  14: 'dtmfBrazil',
  15: 'dtmfFskBrazil',
} as const;
export type CallerIdSchemeNumber = keyof typeof CALLER_ID_SCHEMES;
export type CallerIdScheme = (typeof CALLER_ID_SCHEMES)[CallerIdSchemeNumber];

/** On-hook signalling state of a loop-start line seen from the exchange side. */
export type HookState = 'onHook' | 'offHook';

/** Events an FXS port emits to the voice layer. */
export type FxsEvent =
  | { readonly type: 'offHook' }
  | { readonly type: 'onHook' }
  | { readonly type: 'flash' }
  | { readonly type: 'digit'; readonly digit: string; readonly method: 'dtmf' | 'pulse' }
  /** Ringing ended by itself (ring timeout is the voice layer's; this is stopRing or ring trip). */
  | { readonly type: 'ringStopped'; readonly reason: 'answered' | 'stopped' | 'lifeline' }
  /** The port was cut from the phone by the lifeline relay (the phone is now on the PSTN line) or given back. */
  | { readonly type: 'lifeline'; readonly engaged: boolean };

export interface RingRequest {
  /** Caller ID sent per the scheme P853 (before or during ringing). Omitted: ring without caller ID. */
  readonly callerId?: CallerId;
  /**
   * Cadence: a ring-cadence string (`c=2000/4000;`), or a ring tone index 1-10 (P4010-P4019).
   * Omitted: the distinctive ring (P870-P875) matching the caller number, else the system ring P4040.
   */
  readonly cadence?: string | number;
}

/**
 * The FXS port as the voice layer sees it (the SLIC + DSP side of one analog phone line).
 * Every timing comes from its P-values, re-read on each store change.
 */
export interface FxsPort {
  readonly hook: HookState;
  /** True while the ring voltage sequence (with its caller ID) is running. */
  readonly ringing: boolean;
  /** Subscribes to hook, flash and digit events; returns the unsubscribe function. */
  on(listener: (e: FxsEvent) => void): Cancel;
  /** Rings the phone (on-hook only; ignored off-hook). Caller ID per P853. */
  ring(req?: RingRequest): void;
  stopRing(): void;
  /** Plays a tone to the phone (a tone string or a parsed definition), mixed over the call audio. */
  playTone(tone: string | ToneDefinition, opts?: { readonly durationMs?: number }): void;
  stopTone(): void;
  /**
   * Call-waiting caller ID (Bellcore type 2 / ETSI off-hook): CAS, the phone's DTMF ack, then FSK.
   * Resolves true when the phone acknowledged and the data was sent, false otherwise.
   * The voice layer plays the call-waiting tone P4005 itself before this (it is the SAS).
   */
  sendCallWaitingId(cid: CallerId): Promise<boolean>;
  /** Reverses the line polarity on answer and restores it on disconnect, when P205 is on. */
  setCallConnected(connected: boolean): void;
  /** Visual message-waiting indicator (FSK MDMF VMWI per P855/P4371) and the FXS LED slow blink. */
  setMessageWaiting(waiting: boolean): void;
  /** Far end hung up: loop-current denial for P856 ms when P892 is on (busy tone first with P21925). */
  signalDisconnect(): void;
  /** The audio path to the media layer: frames to the phone and frames from it, 20 ms each. */
  readonly audio: LineAudio;
}

/** Audio between a port and the media layer. Frames are 160 samples; pushes are buffered a few frames. */
export interface LineAudio {
  /** Queues a frame toward the line (phone or PSTN). Underrun is silence; overrun drops the oldest. */
  write(frame: AudioFrame): void;
  /** Each frame received from the line, while the loop is closed. */
  onFrame(listener: (frame: AudioFrame) => void): Cancel;
}

/** FXO line states (the DAA side of the PSTN line). */
export type FxoState = 'idle' | 'ringing' | 'seized' | 'dialing' | 'connected' | 'disconnected';

export type FxoEvent =
  /** A ring burst began; `count` counts bursts of this call. */
  | { readonly type: 'ring'; readonly count: number }
  /** No ring for P3630 s: the caller gave up before the unit answered. */
  | { readonly type: 'ringStopped' }
  /** Caller ID decoded on the line before answering (FSK or DTMF per P863). */
  | { readonly type: 'callerId'; readonly callerId: CallerId }
  | { readonly type: 'dialTone' }
  /** The far end went away: how the unit found out (user guide "Disconnect Methods"). */
  | { readonly type: 'disconnect'; readonly cause: 'busyTone' | 'polarity' | 'loopCurrent' }
  /** Line polarity reversed while seized (answer supervision when P28101 is on). */
  | { readonly type: 'polarity'; readonly reversed: boolean }
  | { readonly type: 'state'; readonly state: FxoState };

/** The FXO port as the voice layer sees it. */
export interface FxoPort {
  readonly state: FxoState;
  /** Rings counted in the current incoming call (0 when idle). */
  readonly ringCount: number;
  /** Caller ID decoded for the current incoming call. */
  readonly callerId: CallerId | undefined;
  /** A PSTN line is plugged in and feeds battery (undefined: the port cannot tell). */
  readonly linePresent?: boolean;
  on(listener: (e: FxoEvent) => void): Cancel;
  /** Goes off-hook (answers an incoming call, or seizes the line to dial out). */
  seize(): void;
  /** Sends DTMF digits with P3300 digit length and P3302 pause; `,` waits 1 s. Resolves when sent. */
  dial(digits: string): Promise<void>;
  /** Marks the call connected (the voice layer knows when the PSTN side answered). */
  setConnected(): void;
  /** A hook flash of P838 ms toward the PSTN (the voice layer checks P837). */
  flash(): Promise<void>;
  /** Goes on-hook. */
  release(): void;
  readonly audio: LineAudio;
}

export type LedPattern = 'off' | 'on' | 'slowBlink' | 'fastBlink';
export type LedName = 'power' | 'wan' | 'lan' | 'fxs' | 'fxo';
export type LedPanel = Readonly<Record<LedName, LedPattern>>;

/** Lifeline relay mode P891. */
export type LifelineMode = 'auto' | 'alwaysDisconnected' | 'alwaysConnected';
