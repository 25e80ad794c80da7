/**
 * The Goertzel algorithm (a single DFT bin by a second-order recursion), generalised to any
 * frequency (not only integer bins). A sine of peak A over N samples gives |X|² ≈ (A·N/2)²;
 * `goertzelEnergy` rescales that to the sine's energy N·A²/2, comparable with `blockEnergy` (Σx²).
 */
export function goertzelCoefficient(hz: number, sampleRate = 8000): number {
  return 2 * Math.cos((2 * Math.PI * hz) / sampleRate);
}

/** |X(f)|² over samples[start, start+n). */
export function goertzelPower(samples: ArrayLike<number>, start: number, n: number, coeff: number): number {
  let s1 = 0;
  let s2 = 0;
  for (let i = start; i < start + n; i++) {
    const s0 = samples[i]! + coeff * s1 - s2;
    s2 = s1;
    s1 = s0;
  }
  return s1 * s1 + s2 * s2 - coeff * s1 * s2;
}

/** Energy (Σx² units) of the component at the Goertzel frequency: 2|X|²/N. */
export function goertzelEnergy(samples: ArrayLike<number>, start: number, n: number, coeff: number): number {
  return (2 * goertzelPower(samples, start, n, coeff)) / n;
}

/** Σx² over the block. */
export function blockEnergy(samples: ArrayLike<number>, start: number, n: number): number {
  let e = 0;
  for (let i = start; i < start + n; i++) {
    const v = samples[i]!;
    e += v * v;
  }
  return e;
}

/** Peak amplitude estimate of the component at `hz` in the block. */
export function toneAmplitude(samples: ArrayLike<number>, start: number, n: number, hz: number, sampleRate = 8000): number {
  return (2 * Math.sqrt(goertzelPower(samples, start, n, goertzelCoefficient(hz, sampleRate)))) / n;
}
