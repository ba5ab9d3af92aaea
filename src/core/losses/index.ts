/** Losses by name, with their options. */
import { NailsError } from '../errors.js';
import { crossEntropy } from './cross-entropy.js';
import { logistic } from './logistic.js';
import type { Loss } from './loss.js';
import { pseudoHuber } from './pseudo-huber.js';
import { squaredError } from './squared-error.js';
import { weightedSquaredError } from './weighted-squared-error.js';

export type { Loss } from './loss.js';

export type LossConfig =
  | { name: 'mse' }
  | { name: 'weighted_mse'; weights: number[] }
  | { name: 'cross_entropy'; epsilon?: number }
  | { name: 'logistic' }
  | { name: 'pseudo_huber'; delta?: number };

export const LOSS_NAMES = [
  'mse',
  'weighted_mse',
  'cross_entropy',
  'logistic',
  'pseudo_huber',
] as const;

/** Losses for binary (0/1) outputs, where a thresholded accuracy means something. */
export function isClassificationLoss(config: LossConfig): boolean {
  return config.name === 'cross_entropy' || config.name === 'logistic';
}

/** Builds the loss a config names; unknown names list the known ones. */
export function makeLoss(config: LossConfig): Loss {
  switch (config.name) {
    case 'mse':
      return squaredError;
    case 'weighted_mse':
      if (!Array.isArray(config.weights))
        throw new NailsError(
          'weighted_mse needs weights: one non-negative number per output',
          'weights',
        );
      return weightedSquaredError(config.weights);
    case 'cross_entropy':
      return crossEntropy(config.epsilon);
    case 'logistic':
      return logistic;
    case 'pseudo_huber':
      return pseudoHuber(config.delta);
    default:
      throw new NailsError(
        `unknown loss '${String((config as { name: unknown }).name)}'; use one of ${LOSS_NAMES.join(', ')}`,
        'loss',
      );
  }
}
