/**
 * Pseudo-Huber loss with scale δ > 0, r = ŷ − y:
 *   ℓ = δ² (sqrt(1 + (r/δ)²) − 1),   ∇ = r / sqrt(1 + (r/δ)²),   ∇² = (1 + (r/δ)²)^(−3/2).
 */
import { NailsError } from '../errors.js';
import type { Loss } from './loss.js';

export function pseudoHuber(delta = 1): Loss {
  if (!(delta > 0 && Number.isFinite(delta)))
    throw new NailsError(`pseudo_huber delta must be positive, got ${delta}`, 'delta');
  return {
    name: 'pseudo_huber',
    evaluate(y, yOff, yhat, hOff, ny, grad, hess) {
      let s = 0;
      for (let c = 0; c < ny; c++) {
        const r = yhat[hOff + c]! - y[yOff + c]!;
        const q = 1 + (r / delta) * (r / delta);
        const root = Math.sqrt(q);
        s += delta * delta * (root - 1);
        if (grad) grad[c] = r / root;
        if (hess) hess[c] = 1 / (q * root);
      }
      return s;
    },
  };
}
