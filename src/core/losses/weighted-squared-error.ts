/** Weighted squared error ℓ = Σ_c w_c (ŷ_c − y_c)², w_c ≥ 0;  ∇ = 2 w ⊙ (ŷ − y),  ∇² = 2 diag(w). */
import { NailsError } from '../errors.js';
import type { Loss } from './loss.js';

export function weightedSquaredError(weights: readonly number[]): Loss {
  weights.forEach((w, i) => {
    if (!(Number.isFinite(w) && w >= 0)) {
      throw new NailsError(
        `loss weight ${i} is ${w}; weights must be finite and non-negative`,
        'weights',
      );
    }
  });
  return {
    name: 'weighted_mse',
    evaluate(y, yOff, yhat, hOff, ny, grad, hess) {
      if (weights.length !== ny) {
        throw new NailsError(
          `weighted_mse has ${weights.length} weights but the model has ny = ${ny} outputs`,
          'weights',
        );
      }
      let s = 0;
      for (let c = 0; c < ny; c++) {
        const w = weights[c]!;
        const r = yhat[hOff + c]! - y[yOff + c]!;
        s += w * r * r;
        if (grad) grad[c] = 2 * w * r;
        if (hess) hess[c] = 2 * w;
      }
      return s;
    },
  };
}
