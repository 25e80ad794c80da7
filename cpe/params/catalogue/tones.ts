/** Call-progress tones and ring cadences (reference §1.5, syntax §7). The FXO disconnect tone P841 is in fxo.ts. */
import type { ParamDef } from '../types';
import { at, cadence, enumOf, maker, str, tone } from './builders';

const other = maker({ reset: 'other' });
const cpt = at('advanced', 'Call Progress Tones');
const rings = at('fxs', 'Ring Tones');

const RING_CADENCE = 'c=2000/4000;';

/** Ring tone 1-10 index used by the distinctive-ring choices. */
const RING_INDEX = enumOf(Array.from({ length: 10 }, (_, i) => [String(i), `Ring Tone ${i + 1}`] as const));

export const TONES: readonly ParamDef[] = [
  other(4040, 'tones.systemRingCadence', cadence(), RING_CADENCE, { web: cpt('System Ring Cadence') }),
  other(4000, 'tones.dial', tone(), 'f1=350@-17,f2=440@-17,c=0/0;', { web: cpt('Dial Tone') }),
  other(4001, 'tones.ringback', tone(), 'f1=440@-17,f2=480@-17,c=2000/4000;', { web: cpt('Ringback Tone') }),
  other(4002, 'tones.busy', tone(), 'f1=480@-21,f2=620@-21,c=500/500;', {
    web: cpt('Busy Tone'),
    note: 'The HT813 template prints f2=680, a typo: the unit web UI shows 620 (reference §1.5).',
  }),
  other(4003, 'tones.reorder', tone(), 'f1=480@-21,f2=620@-21,c=250/250;', { web: cpt('Reorder Tone') }),
  other(4004, 'tones.confirmation', tone(), 'f1=350@-11,f2=440@-11,c=100/100-100/100-100/100;', {
    web: cpt('Confirmation Tone'),
  }),
  other(4005, 'tones.callWaiting', tone(), 'f1=440@-13,c=300/10000;', { web: cpt('Call Waiting Tone') }),
  other(4041, 'tones.prompt', tone(), 'f1=350@-17,f2=440@-17,c=0/0;', { web: cpt('Prompt Tone') }),
  other(4042, 'tones.promptAccessCode', str(20, 'dialable'), '', { web: cpt('Key Pattern for the Prompt Tone') }),
  other(28133, 'tones.conferenceHangup', tone(), 'f1=425@-15,c=600/600;', {
    web: cpt('Conference Party Hang-up Tone'),
    note: 'From the 1.0.19.6 template (reference §1.5); absent from 1.0.7.1.',
  }),

  ...Array.from({ length: 10 }, (_, i) =>
    other(4010 + i, `tones.ring${i + 1}`, cadence(), RING_CADENCE, { profile: 1, web: rings(`Ring Tone ${i + 1}`) }),
  ),
  ...[870, 872, 874].flatMap((id, i) => [
    other(id, `tones.distinctiveRing${i + 1}`, RING_INDEX, '0', {
      profile: 1,
      web: rings(`Distinctive Ring ${i + 1}: Ring Tone`),
    }),
    other(id + 1, `tones.distinctiveRing${i + 1}CallerId`, str(64), '', {
      profile: 1,
      web: rings(`Distinctive Ring ${i + 1}: When Caller ID Is`),
    }),
  ]),
];
