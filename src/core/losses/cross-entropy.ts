/**
 * Binary cross-entropy on a probability output ŷ ∈ (0, 1) (a sigmoid output layer),
 * ALGORITHM.md §2:  ℓ = −y log(ε + ŷ) − (1 − y) log(1 + ε − ŷ)   (ε = 1e-4 by default)
 *   ∇ = −y/(ε + ŷ) + (1 − y)/(1 + ε − ŷ),   ∇² = y/(ε + ŷ)² + (1 − y)/(1 + ε − ŷ)².
 */
import { NailsError } from '../errors.js';
import type { Loss } from './loss.js';

export function crossEntropy(epsilon = 1e-4): Loss {
  if (!(epsilon > 0 && epsilon < 1))
    throw new NailsError(`cross_entropy epsilon must be in (0, 1), got ${epsilon}`, 'epsilon');
  return {
    name: 'cross_entropy',
    evaluate(y, yOff, yhat, hOff, ny, grad, hess) {
      let s = 0;
      for (let c = 0; c < ny; c++) {
        const t = y[yOff + c]!;
        const p = yhat[hOff + c]!;
        const a = epsilon + p;
        const b = 1 + epsilon - p;
        s += -t * Math.log(a) - (1 - t) * Math.log(b);
        if (grad) grad[c] = -t / a + (1 - t) / b;
        if (hess) hess[c] = t / (a * a) + (1 - t) / (b * b);
      }
      return s;
    },
  };
}
