/** Squared error ℓ = Σ_c (ŷ_c − y_c)²;  ∇ = 2(ŷ − y),  ∇² = 2 I. */
import type { Loss } from './loss.js';

export const squaredError: Loss = {
  name: 'mse',
  evaluate(y, yOff, yhat, hOff, ny, grad, hess) {
    let s = 0;
    for (let c = 0; c < ny; c++) {
      const r = yhat[hOff + c]! - y[yOff + c]!;
      s += r * r;
      if (grad) grad[c] = 2 * r;
      if (hess) hess[c] = 2;
    }
    return s;
  },
};
