/**
 * cpe/media — what sits between the analog line and RTP: codecs, RTP/RTCP, jitter buffer, tones,
 * DTMF, caller ID modem, conference mixing. Knows nothing of SIP (ARCHITECTURE.md).
 *
 * API overview (audio everywhere: Int16Array of 8 kHz 16-bit linear samples; levels in dBm0,
 * 0 dBm0 = a sine 3.17 dB below 16-bit full scale, G.711's digital milliwatt):
 *
 * Audio basics — dsp/audio.ts
 *   SAMPLE_RATE, FRAME_SAMPLES (160 = 20 ms), dbm0ToPeak, rmsToDbm0, rms, silence, concatSamples, mixSamples
 * Tones — dsp/tone-generator.ts
 *   new ToneGenerator(def).read(frame)   streaming, cadence-gated, phase-continuous
 *   renderTone(def, ms), renderDualTone([hz...], dbm0, ms)
 *   ToneDefinition { components: [{hz, dbm0}], cadence: [{onMs, offMs}] }  ([] or 0/0 = continuous)
 *   toneFromString('f1=350@-17,f2=440@-17,c=0/0;')  → ToneDefinition (parser: cpe/params/syntax/tone-string.ts)
 * Goertzel — dsp/goertzel.ts: goertzelCoefficient, goertzelEnergy, toneAmplitude(samples, start, n, hz)
 * DTMF in audio — dsp/dtmf-generator.ts, dsp/dtmf-detector.ts
 *   renderDtmf('123#', {onMs, offMs, lowDbm0, highDbm0}), renderDtmfTone(digit, ms)
 *   new DtmfDetector().push(samples) → [{digit, startSample, endSample?}] (start events have no endSample); .flush()
 *   detectDtmf(samples) → '123#'
 * Fax tones — dsp/fax-tones.ts: renderCng, renderAns({am, reversalMs}), renderV21(bits), hdlcFlagBits(n)
 *   dsp/fax-tone-detector.ts: new FaxToneDetector({minDbm0, v21}).push(frame) → [{tone: 'cng'|'ans'|'ansam'|'v21',
 *     atSample, startSample}] (T.30 CNG, V.25 ANS / V.8 ANSam, T.30 V.21 preamble via dsp/v21-preamble.ts); .ansReversals
 * FSK modem (Bell 202 / V.23) — dsp/fsk-modem.ts
 *   fskBurst(bytes, {standard:'bell202'|'v23', seizureBits, markBits, dbm0}) → samples
 *   new FskDemodulator(standard, {minDbm0, huntMarkBits}).push(samples) → bytes
 * Caller ID — callerid/
 *   cid-message.ts: encodeCidMessage / decodeCidMessage (SDMF 0x04/0x06, MDMF 0x80/0x82, Bellcore and ETSI),
 *     callerIdToMdmf(cid), callerIdToSdmf(cid), callerIdFromMessage(msg), mwiToMdmf(on), mwiFromMessage(msg),
 *     cidDateTime(epochMs, tzMinutes) → 'MMDDHHMM'; CallerId {dateTime?, number?, numberAbsent?, name?, nameAbsent?}
 *   cid-receiver.ts: new CidReceiver(standard).push(samples) → CidMessage[]; receiveCallerId(samples, standard)
 *   cid-dtmf.ts: renderDtmfCallerId(number, absent, {start, stop}), decodeDtmfCallerId(samples), dtmfCidDigit(P4661 choice)
 *   cid-sequence.ts: callerIdSequence(P853 scheme, cid, opts) → CidStep[] (ring / silence / polarity-reversal / audio)
 *     for the FXS driver to play; renderCidSequence(steps); callWaitingAlert() (SAS+CAS), callWaitingFsk(cid)
 * WAV — dsp/wav.ts: encodeWav(samples), decodeWav(buf)
 * G.711 — codecs/g711.ts: ulawEncode/ulawDecode/alawEncode/alawDecode (sample), encodeUlaw/decodeUlaw/encodeAlaw/decodeAlaw (frames)
 * PLC — codecs/plc.ts: G711Plc (G.711 Appendix I): .good(frame) / .conceal() → frame
 * Comfort noise — codecs/cn.ts: encodeCn/decodeCn (RFC 3389 payload), CnGenerator
 * G.726-32 — codecs/g726.ts: G726Encoder / G726Decoder (ITU-T G.726 32 kbit/s, RFC 3551 packing; bit-exact with spandsp)
 * OPUS — codecs/opus.ts: OpusEncoder / OpusDecoder (libopus via the opusscript npm package, narrowband,
 *   RTP clock 48 kHz per RFC 7587), opusPacketSamples48k(payload); close() frees WebAssembly memory
 * Codec registry — codecs/registry.ts: IMPLEMENTED_CODECS (PCMU, PCMA, G726-32, opus, CN, telephone-event),
 *   codecByName('PCMU'), codecByVocoder(P57 value), offerableCodecs(vocoderChoices) → what SDP may advertise
 *   (only codecs really implemented here; G.723.1, G.729, iLBC, G.722 never), PayloadMap
 * RTP/RTCP — rtp/
 *   rtp-packet.ts: decodeRtp / encodeRtp (RFC 3550 §5.1)
 *   rtcp-packet.ts: decodeRtcp / encodeRtcp (compound SR, RR, SDES, BYE; §6.4–6.6)
 *   source-state.ts: RtpSourceState (§A.1 sequence validation/probation, §A.3 loss, §A.8 jitter)
 *   telephone-event.ts: decodeTelephoneEvents / encodeTelephoneEvent (RFC 4733 §2.3), TelephoneEventSender,
 *     TelephoneEventReceiver (P79 payload type, P28173/P28177 counts)
 *   rtp-session.ts: new RtpSession({socket, remote, rtcp:'mux'|{socket,remote}|'off', clock, random, codec, payloadType,
 *     eventPayloadType (P79), jitter {mode,length}, eventCount (P28173), endCount (P28177), cname, symmetric (P291),
 *     ptimeMs (10–120, default 20), vad (P50: RFC 3389 CN instead of silence, needs cnPayloadType),
 *     passThrough (fax, V.152 voiceband data: fixed jitter buffer, no PLC/CN/VAD), continues (the session it
 *     replaces after a codec change: same SSRC, sequence and timestamp)}); setPassThrough(), setEventPayloadType(pt)
 *     — the RTP clock follows the codec (×6 for OPUS); frames stay 8 kHz
 *     is a MediaPort: writeFrame(pcm) sends, readFrame() plays (jitter buffer + PLC + CN); start() arms RTCP SR/RR;
 *     sendDigit(d, ms) / pressDigit(d) / releaseDigit(); onDigit(e => ...) for received RFC 4733; stats.dropped.*; close()
 *   playout.ts: Playout (the receive side: jitter buffer → decoder → PLC / CN / silence), used by RtpSession
 *   udp-socket.ts: UdpSocket interface, bindUdp(address, port) (real, for the composition root), memorySocketPair() (tests)
 * Jitter buffer — jitter-buffer.ts: new JitterBuffer(jitterModeFromP133(P133), jitterLengthFromP132(P132));
 *   fixDelay(ms) makes it fixed mid-call (fax pass-through at FAX_JITTER_MS)
 * DTMF method priority — dtmf-methods.ts: dtmfMethodOrder(P850,P851,P852), chooseDtmfMethod(order, {rfc2833, sipInfo}),
 *   new DtmfRelay(rtpSession, method, {press, release, info}) — the DSP stage between phone and RTP
 * Conference — mixer.ts: new ConferenceMixer(3).join(id) → MediaPort; mixer.tick() once per frame
 * Media clock and ports — media-port.ts: MediaPort {readFrame(): Int16Array(160); writeFrame(frame)}, NullPort, BufferPort
 *   media-clock.ts: new MediaClock(clock).connect(a, b) / pipe(from, to) / onTick(fn) → disconnect; no timer when idle
 * CLI — audio-commands.ts: `ht813 audio tone|dtmf|callerid` (registered in cpe/cli/commands.ts)
 */
export * from './dsp/audio';
export * from './dsp/goertzel';
export * from './dsp/tone-generator';
export * from './dsp/dtmf-generator';
export * from './dsp/dtmf-detector';
export * from './dsp/fax-tones';
export * from './dsp/fax-tone-detector';
export * from './dsp/fsk-modem';
export * from './dsp/wav';
export * from './callerid/cid-message';
export * from './callerid/cid-receiver';
export * from './callerid/cid-dtmf';
export * from './callerid/cid-sequence';
export * from './codecs/g711';
export * from './codecs/plc';
export * from './codecs/cn';
export * from './codecs/g726';
export * from './codecs/registry';
export * from './rtp/rtp-packet';
export * from './rtp/rtcp-packet';
export * from './rtp/source-state';
export * from './rtp/telephone-event';
export * from './rtp/udp-socket';
export * from './rtp/rtp-session';
export * from './rtp/playout';
export * from './jitter-buffer';
export * from './media-port';
export * from './media-clock';
export * from './mixer';
export * from './dtmf-methods';
export * from './srtp';
