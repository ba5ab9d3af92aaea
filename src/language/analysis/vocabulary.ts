/** The words the spec language accepts for each enumerated setting. */

export const MODEL_KINDS = ['linear', 'rnn', 'feedforward', 'custom'] as const;
export const METHODS = ['nailm', 'nails', 'adam', 'lbfgs'] as const;
export const GENERATORS = ['binary_output'] as const;
export const TIME_UNITS: Record<string, number> = { s: 1, ms: 1e-3, us: 1e-6, min: 60, h: 3600 };
export const FREQUENCY_UNITS: Record<string, number> = { Hz: 1, kHz: 1e3 };
export const SCALE_MODES = ['standard', 'none'] as const;
export const FINAL_ACTIVATIONS = ['identity', 'sigmoid'] as const;
export const INIT_MODES = ['linear', 'random'] as const;
