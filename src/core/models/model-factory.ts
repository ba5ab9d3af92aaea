/**
 * Builders for the model families, and `createModel` to rebuild a model from its saved config.
 */
import type { ActivationName } from './activations.js';
import { CustomModel } from './custom-model.js';
import type { Model, ModelConfig } from './model.js';
import { StateSpaceNet } from './state-space-net.js';

/** Linear state space x⁺ = A x + B u, y = C x (+ D u with feedthrough). */
export function linearModel(o: {
  nx: number;
  nu: number;
  ny: number;
  feedthrough?: boolean;
}): Model {
  return new StateSpaceNet({
    kind: 'linear',
    nx: o.nx,
    nu: o.nu,
    ny: o.ny,
    state: { hidden: [], activation: 'tanh', linear: true },
    output: {
      hidden: [],
      activation: 'tanh',
      linear: true,
      feedthrough: o.feedthrough ?? false,
      final: 'identity',
    },
  });
}

export interface RnnOptions {
  nx: number;
  nu: number;
  ny: number;
  state?: { hidden?: number[]; activation?: ActivationName; linear?: boolean };
  output?: {
    hidden?: number[];
    activation?: ActivationName;
    linear?: boolean;
    feedthrough?: boolean;
    final?: 'identity' | 'sigmoid';
  };
}

/** Recurrent state-space net: MLP state and output maps, optional linear parts (defaults: one hidden layer of 8 tanh units, linear parts on, no feedthrough). */
export function rnnModel(o: RnnOptions): Model {
  return new StateSpaceNet({
    kind: 'rnn',
    nx: o.nx,
    nu: o.nu,
    ny: o.ny,
    state: {
      hidden: o.state?.hidden ?? [8],
      activation: o.state?.activation ?? 'tanh',
      linear: o.state?.linear ?? true,
    },
    output: {
      hidden: o.output?.hidden ?? [8],
      activation: o.output?.activation ?? 'tanh',
      linear: o.output?.linear ?? true,
      feedthrough: o.output?.feedthrough ?? false,
      final: o.output?.final ?? 'identity',
    },
  });
}

/** Static feedforward net ŷ = φ(MLP(u) [+ D u]); no state. */
export function feedforwardModel(o: {
  nu: number;
  ny: number;
  hidden: number[];
  activation?: ActivationName;
  linear?: boolean;
  final?: 'identity' | 'sigmoid';
}): Model {
  return new StateSpaceNet({
    kind: 'feedforward',
    nx: 0,
    nu: o.nu,
    ny: o.ny,
    state: { hidden: [], activation: 'tanh', linear: false },
    output: {
      hidden: o.hidden,
      activation: o.activation ?? 'tanh',
      linear: o.linear ?? false,
      feedthrough: true,
      final: o.final ?? 'identity',
    },
  });
}

/** Rebuilds a model from `model.config` (e.g. read back from a saved run). */
export function createModel(config: ModelConfig): Model {
  return config.kind === 'custom' ? new CustomModel(config) : new StateSpaceNet(config);
}
