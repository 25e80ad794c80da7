/**
 * The voice prompts' audio (cpe/media/prompts): every prompt of the table has audio that decodes
 * to speech of a plausible length at the prompt level, and the player hands it out as 20 ms frames
 * with a pause between prompts, then says it is done once.
 */
import assert from 'node:assert/strict';
import { rms, rmsToDbm0 } from '../../cpe/media/dsp/audio';
import { PROMPT_DBM0 } from '../../cpe/media/prompts/prompt-level';
import { PROMPT_GAP_MS, PromptPlayer, promptSamples, renderPrompts } from '../../cpe/media/prompts/prompt-player';
import { PROMPT_TEXT, type PromptId } from '../../cpe/media/prompts/prompt-text';

describe('media/prompts', () => {
  it('every prompt decodes to 0.25-3 s of speech at about the prompt level, unclipped', () => {
    for (const id of Object.keys(PROMPT_TEXT) as PromptId[]) {
      const s = promptSamples(id);
      const seconds = s.length / 8000;
      assert.ok(seconds >= 0.25 && seconds <= 3, `${id}: ${seconds.toFixed(2)} s`);
      const level = rmsToDbm0(rms(s));
      // G.726 coding moves the level a little; the script levels to PROMPT_DBM0 (or less, to avoid clipping)
      assert.ok(level > PROMPT_DBM0 - 6 && level < PROMPT_DBM0 + 1.5, `${id}: ${level.toFixed(1)} dBm0`);
      assert.ok(s.every((v) => Math.abs(v) < 32767), `${id} clips`);
    }
  });

  it('plays a sequence as frames with a pause after each prompt, then calls done once', () => {
    const words: PromptId[] = ['d4', 'dot', 'd2'];
    let done = 0;
    const player = new PromptPlayer(words, () => done++);
    const all = renderPrompts(words);
    assert.equal(all.length, words.reduce((n, w) => n + promptSamples(w).length, 0) + words.length * (PROMPT_GAP_MS * 8));
    const frames: Int16Array[] = [];
    for (let i = 0; i < Math.ceil(all.length / 160) + 3; i++) frames.push(player.readFrame());
    assert.equal(done, 1);
    const joined = new Int16Array(frames.length * 160);
    frames.forEach((f, i) => joined.set(f, i * 160));
    assert.deepEqual(joined.subarray(0, all.length), all);
    assert.ok(joined.subarray(all.length).every((v) => v === 0), 'silence after the end');
    assert.ok(Math.abs(player.durationMs - all.length / 8) < 1e-9);
  });
});
