/** The level voice prompts play at: speech of -18 dBm0 RMS (ITU-T P.56 active speech sits near -20 to -16 dBm0). */
import { dbm0ToPeak } from '../dsp/audio';

export const PROMPT_DBM0 = -18;
/** RMS (16-bit linear) of a prompt at PROMPT_DBM0: a sine's RMS is its peak / √2 (cpe/media/dsp/audio.ts). */
export const PROMPT_RMS = dbm0ToPeak(PROMPT_DBM0) / Math.SQRT2;
