/**
 * Logistic loss on a logit output s = ŷ (no sigmoid layer), targets y ∈ {0, 1}:
 *   ℓ = log(1 + e^s) − y s,   ∇ = σ(s) − y,   ∇² = σ(s)(1 − σ(s)).
 */
import type { Loss } from './loss.js';

export const logistic: Loss = {
  name: 'logistic',
  evaluate(y, yOff, yhat, hOff, ny, grad, hess) {
    let total = 0;
    for (let c = 0; c < ny; c++) {
      const s = yhat[hOff + c]!;
      const t = y[yOff + c]!;
      const softplus = s > 0 ? s + Math.log1p(Math.exp(-s)) : Math.log1p(Math.exp(s));
      total += softplus - t * s;
      const sig = s >= 0 ? 1 / (1 + Math.exp(-s)) : Math.exp(s) / (1 + Math.exp(s));
      if (grad) grad[c] = sig - t;
      if (hess) hess[c] = sig * (1 - sig);
    }
    return total;
  },
};
