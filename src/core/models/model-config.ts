/**
 * The JSON descriptions of models, from which `createModel` (model-factory.ts) rebuilds the same
 * model. Types only, in their own file so that the model contract (model.ts) and the model
 * classes (state-space-net.ts, custom-model.ts) can all refer to them without an import circle.
 */
import type { ActivationName } from './activations.js';
import type { Expr } from './expression.js';

export interface MapConfig {
  /** Hidden layer sizes of the MLP; [] for no MLP. */
  hidden: number[];
  activation: ActivationName;
  /** Include the linear part (A, B for the state map; C, D for the output map). */
  linear: boolean;
}

export interface StateSpaceNetConfig {
  kind: 'linear' | 'rnn' | 'feedforward';
  nx: number;
  nu: number;
  ny: number;
  state: MapConfig;
  output: MapConfig & {
    /** Whether ŷ[k] depends on u[k] directly (D and/or the MLP reads u). */
    feedthrough: boolean;
    /** Final output activation φ. */
    final: 'identity' | 'sigmoid';
  };
}

export interface CustomModelConfig {
  kind: 'custom';
  nx: number;
  nu: number;
  ny: number;
  /** Parameter names and initial values, in θ order. */
  parameters: { name: string; init: number }[];
  /**
   * Seeded start: θ_i = init_i · (1 + jitter · U(−1, 1)) from the seed's generator (0 or absent:
   * the declared values whatever the seed).
   */
  jitter?: number;
  /** f_i, one per state, and g_r, one per output. */
  state: Expr[];
  output: Expr[];
}

/** A JSON description from which `createModel` rebuilds the same model (see model-factory.ts). */
export type ModelConfig = StateSpaceNetConfig | CustomModelConfig;
