/**
 * What the FXS port does on the line to present a caller ID, per caller-ID scheme (P853 / P863,
 * reference §7), as an ordered list of steps that cpe/hw plays: ring bursts, silences, polarity
 * reversals and audio. Timings:
 *  - Bellcore on-hook (GR-30-CORE §3.1.1): first ring, ≥ 500 ms, 300 seizure + 180 mark bits,
 *    message, ≥ 200 ms before the next ring.
 *  - ETSI during ringing (EN 300 659-1 §6.1.1): as above with V.23.
 *  - ETSI prior to ringing with DT-AS (§6.1.2): DT-AS 2130+2750 Hz 100 ms, 60 ms, FSK, 250 ms, ringing.
 *    With LR: line reversal, 250 ms, then DT-AS. With RP: ring pulse 250 ms, 650 ms, FSK.
 *  - BT SIN 227: LR, 100 ms, idle-state tone alert (2130+2750 Hz 100 ms), 60 ms, V.23 FSK, then ringing.
 *  - DTMF schemes: the same envelopes with a DTMF string in place of FSK.
 * Call-waiting caller ID (GR-30 type 2, off-hook) is separate: `callWaitingCidSequence`.
 */
import { concatSamples, msToSamples } from '../dsp/audio';
import { fskBurst, type FskStandard } from '../dsp/fsk-modem';
import { renderDualTone } from '../dsp/tone-generator';
import { callerIdToMdmf, callerIdToSdmf, encodeCidMessage, type CallerId } from './cid-message';
import { dtmfCidDigit, renderDtmfCallerId } from './cid-dtmf';

export type CidStep =
  | { readonly kind: 'ring'; readonly ms: number }
  | { readonly kind: 'silence'; readonly ms: number }
  | { readonly kind: 'polarity-reversal' }
  | { readonly kind: 'audio'; readonly samples: Int16Array; readonly what: string };

/** P853 values (reference §7). */
export const CID_SCHEMES: Readonly<Record<number, string>> = {
  0: 'Bellcore/Telcordia',
  1: 'ETSI-FSK during ringing',
  2: 'ETSI-FSK prior to ringing with DTAS',
  3: 'ETSI-FSK prior to ringing with LR+DTAS',
  4: 'ETSI-FSK prior to ringing with RP',
  5: 'ETSI-DTMF during ringing',
  6: 'ETSI-DTMF prior to ringing with DTAS',
  7: 'ETSI-DTMF prior to ringing with LR+DTAS',
  8: 'ETSI-DTMF prior to ringing with RP',
  9: 'SIN 227 (BT)',
  10: 'NTT Japan',
  11: 'DTMF Denmark prior to ringing, no DTAS/LR',
  12: 'DTMF Denmark prior to ringing with LR',
  13: 'DTMF Sweden/Finland prior to ringing with LR',
  14: 'DTMF Brazil',
  15: 'DTMF-FSK Brazil',
};

export interface CidSequenceOptions {
  /** First ring burst length for "during ringing" schemes (the ring cadence's first on time), ms. */
  readonly firstRingMs?: number;
  /** P4661/P4662 start/stop digit choices for DTMF schemes (0 = the scheme's default). */
  readonly dtmfStart?: number;
  readonly dtmfStop?: number;
  /** FSK level dBm0 (default −13). */
  readonly dbm0?: number;
  /** Send the single data message format (number only) instead of MDMF. */
  readonly sdmf?: boolean;
}

const DTAS = (): Int16Array => renderDualTone([2130, 2750], -16, 100);

export function fskCallerIdAudio(cid: CallerId, standard: FskStandard, dbm0 = -13, sdmf = false): Int16Array {
  const msg = sdmf ? callerIdToSdmf(cid) : callerIdToMdmf(cid);
  return fskBurst(encodeCidMessage(msg), { standard, seizureBits: 300, markBits: 180, dbm0 });
}

/** The steps for scheme `scheme` (P853). NTT Japan (10) and DTMF-FSK Brazil (15) fall back to ETSI FSK / Brazil DTMF (documented gap). */
export function callerIdSequence(scheme: number, cid: CallerId, opts: CidSequenceOptions = {}): CidStep[] {
  const ring = opts.firstRingMs ?? 2000;
  const fsk = (std: FskStandard): CidStep => ({ kind: 'audio', samples: fskCallerIdAudio(cid, std, opts.dbm0, opts.sdmf), what: `fsk-${std}` });
  const dtmf = (start: string, stop: string): CidStep => ({
    kind: 'audio',
    samples: renderDtmfCallerId(cid.number, cid.numberAbsent, {
      start: dtmfCidDigit(opts.dtmfStart ?? 0, start),
      stop: dtmfCidDigit(opts.dtmfStop ?? 0, stop),
    }),
    what: 'dtmf',
  });
  const dtas: CidStep = { kind: 'audio', samples: DTAS(), what: 'dt-as' };
  switch (scheme) {
    case 0:
      return [{ kind: 'ring', ms: ring }, { kind: 'silence', ms: 500 }, fsk('bell202'), { kind: 'silence', ms: 200 }];
    case 1:
    case 10:
      return [{ kind: 'ring', ms: ring }, { kind: 'silence', ms: 500 }, fsk('v23'), { kind: 'silence', ms: 200 }];
    case 2:
      return [dtas, { kind: 'silence', ms: 60 }, fsk('v23'), { kind: 'silence', ms: 250 }];
    case 3:
      return [{ kind: 'polarity-reversal' }, { kind: 'silence', ms: 250 }, dtas, { kind: 'silence', ms: 60 }, fsk('v23'), { kind: 'silence', ms: 250 }];
    case 4:
      return [{ kind: 'ring', ms: 250 }, { kind: 'silence', ms: 650 }, fsk('v23'), { kind: 'silence', ms: 250 }];
    case 5:
      return [{ kind: 'ring', ms: ring }, { kind: 'silence', ms: 500 }, dtmf('A', 'C'), { kind: 'silence', ms: 200 }];
    case 6:
      return [dtas, { kind: 'silence', ms: 60 }, dtmf('A', 'C'), { kind: 'silence', ms: 250 }];
    case 7:
      return [{ kind: 'polarity-reversal' }, { kind: 'silence', ms: 250 }, dtas, { kind: 'silence', ms: 60 }, dtmf('A', 'C'), { kind: 'silence', ms: 250 }];
    case 8:
      return [{ kind: 'ring', ms: 250 }, { kind: 'silence', ms: 650 }, dtmf('A', 'C'), { kind: 'silence', ms: 250 }];
    case 9:
      return [{ kind: 'polarity-reversal' }, { kind: 'silence', ms: 100 }, dtas, { kind: 'silence', ms: 60 }, fsk('v23'), { kind: 'silence', ms: 250 }];
    case 11:
      return [{ kind: 'silence', ms: 100 }, dtmf('D', 'C'), { kind: 'silence', ms: 250 }];
    case 12:
      return [{ kind: 'polarity-reversal' }, { kind: 'silence', ms: 250 }, dtmf('D', 'C'), { kind: 'silence', ms: 250 }];
    case 13:
      return [{ kind: 'polarity-reversal' }, { kind: 'silence', ms: 250 }, dtmf('A', 'C'), { kind: 'silence', ms: 250 }];
    case 14:
    case 15:
      return [{ kind: 'ring', ms: ring }, { kind: 'silence', ms: 500 }, dtmf('A', 'C'), { kind: 'silence', ms: 200 }];
    default:
      throw new RangeError(`unknown caller ID scheme ${scheme}`);
  }
}

/**
 * Call-waiting caller ID (GR-30 type 2, off-hook): SAS 440 Hz 300 ms, CAS 2130+2750 Hz 80 ms;
 * the phone acknowledges with DTMF 'A' or 'D' within 160 ms (hw listens with DtmfDetector);
 * then `callWaitingFsk` 50–500 ms later: 80 mark bits, no seizure.
 */
export function callWaitingAlert(sasDbm0 = -13): Int16Array {
  return concatSamples([renderDualTone([440], sasDbm0, 300), new Int16Array(msToSamples(10)), renderDualTone([2130, 2750], -16, 80)]);
}

export function callWaitingFsk(cid: CallerId, standard: FskStandard = 'bell202', dbm0 = -13): Int16Array {
  return fskBurst(encodeCidMessage(callerIdToMdmf(cid)), { standard, seizureBits: 0, markBits: 80, dbm0 });
}

/** The whole sequence as audio (rings and polarity reversals as silence): what the CLI writes to a WAV. */
export function renderCidSequence(steps: readonly CidStep[]): Int16Array {
  return concatSamples(
    steps.map((s) =>
      s.kind === 'audio' ? s.samples : s.kind === 'polarity-reversal' ? new Int16Array(0) : new Int16Array(msToSamples(s.ms)),
    ),
  );
}
