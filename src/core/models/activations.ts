/**
 * Smooth scalar activations σ(z) with their derivatives σ'(z) (analytic). The Gauss–Newton
 * method needs twice-differentiable models, so non-smooth activations (ReLU) are not offered.
 */
import { NailsError } from '../errors.js';

export interface Activation {
  name: ActivationName;
  f(z: number): number;
  /** σ'(z) */
  df(z: number): number;
}

export type ActivationName =
  'tanh' | 'atan' | 'sigmoid' | 'softplus' | 'swish' | 'elu' | 'sin' | 'identity';

function sigmoid(z: number): number {
  return z >= 0 ? 1 / (1 + Math.exp(-z)) : Math.exp(z) / (1 + Math.exp(z));
}

const TABLE: Record<ActivationName, Activation> = {
  tanh: {
    name: 'tanh',
    f: Math.tanh,
    df: (z) => {
      const t = Math.tanh(z);
      return 1 - t * t;
    },
  },
  // arctan, the activation of jax-sysid's examples: σ' = 1 / (1 + z²)
  atan: { name: 'atan', f: Math.atan, df: (z) => 1 / (1 + z * z) },
  sigmoid: {
    name: 'sigmoid',
    f: sigmoid,
    df: (z) => {
      const s = sigmoid(z);
      return s * (1 - s);
    },
  },
  // log(1 + e^z), computed without overflow.
  softplus: {
    name: 'softplus',
    f: (z) => (z > 0 ? z + Math.log1p(Math.exp(-z)) : Math.log1p(Math.exp(z))),
    df: sigmoid,
  },
  // z·sigmoid(z)
  swish: {
    name: 'swish',
    f: (z) => z * sigmoid(z),
    df: (z) => {
      const s = sigmoid(z);
      return s + z * s * (1 - s);
    },
  },
  // z for z > 0, e^z − 1 otherwise (C¹; α = 1)
  elu: { name: 'elu', f: (z) => (z > 0 ? z : Math.expm1(z)), df: (z) => (z > 0 ? 1 : Math.exp(z)) },
  sin: { name: 'sin', f: Math.sin, df: Math.cos },
  identity: { name: 'identity', f: (z) => z, df: () => 1 },
};

export const ACTIVATION_NAMES = Object.keys(TABLE) as ActivationName[];

/** The activation by name; unknown names list the ones that exist. */
export function activation(name: string): Activation {
  const a = (TABLE as Record<string, Activation>)[name];
  if (!a) {
    throw new NailsError(
      `unknown activation '${name}'; use one of ${ACTIVATION_NAMES.join(', ')}`,
      'activation',
    );
  }
  return a;
}
