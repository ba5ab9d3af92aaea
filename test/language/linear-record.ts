/**
 * A record of a known order for the recommendation tests: a stable linear system of `order` 2 or
 * 4 (modes 0.95 e^{±0.3j}, then 0.8 e^{±1.1j}) driven by seeded white noise, with output noise of
 * 0.1 % of the output's spread; written as a CSV file `u,y`.
 */
import { writeFileSync } from 'node:fs';

/** u, y of `samples` samples of the system of `order` (2 or 4), seed `seed`. */
export function linearRecord(
  order: 2 | 4,
  samples: number,
  seed = 1,
): { u: number[]; y: number[] } {
  let s = seed >>> 0 || 1;
  const rand = () => {
    // xorshift32: a seeded uniform number in [-1, 1).
    s ^= s << 13;
    s >>>= 0;
    s ^= s >>> 17;
    s ^= s << 5;
    s >>>= 0;
    return (s / 2 ** 32) * 2 - 1;
  };
  const mode = (r: number, w: number) => ({ a1: 2 * r * Math.cos(w), a2: -r * r });
  const modes = order === 2 ? [mode(0.95, 0.3)] : [mode(0.95, 0.3), mode(0.8, 1.1)];
  const u: number[] = [];
  const y: number[] = [];
  // Each mode: z[k] = a1 z[k-1] + a2 z[k-2] + input[k-1]; the modes in cascade.
  const state = modes.map(() => [0, 0]);
  let last = 0;
  for (let k = 0; k < samples; k++) {
    const uk = rand();
    let input = last;
    modes.forEach((m, i) => {
      const [z1, z2] = state[i]!;
      const z = m.a1 * z1! + m.a2 * z2! + input;
      state[i] = [z, z1!];
      input = z;
    });
    last = uk;
    u.push(uk);
    y.push(input);
  }
  const spread = Math.sqrt(y.reduce((a, v) => a + v * v, 0) / y.length);
  return { u, y: y.map((v) => v + 1e-3 * spread * rand()) };
}

/** Writes the record as CSV `u,y` to `file`. */
export function writeLinearRecord(file: string, order: 2 | 4, samples: number, seed = 1): void {
  const { u, y } = linearRecord(order, samples, seed);
  writeFileSync(file, ['u,y', ...u.map((v, k) => `${v},${y[k]}`)].join('\n') + '\n');
}
