/**
 * The benchmark datasets of shared/data with their official protocol (split, samples reserved for
 * the initial state `n_init`, metric unit), as stated in each dataset's README. Pure: the caller
 * hands in the file's signals (see src/io for reading them from a data directory).
 */
import { NailsError } from '../errors.js';
import { makeExperiment, type Experiment } from './experiment.js';
import { getVector, type SignalTable } from './signal-table.js';

export type DatasetId =
  'cascaded_tanks' | 'silverbox' | 'wiener_hammerstein_2009' | 'mr_damper' | 'two_tank';

export interface DatasetProtocol {
  id: DatasetId;
  title: string;
  /** File relative to the data directory. */
  file: string;
  /** Sampling time in seconds. */
  Ts: number;
  /** Engineering unit of the output and the factor to the unit the metric is reported in. */
  unit: string;
  metricUnit: string;
  metricScale: number;
  /** Test samples used only to estimate the initial state (metrics skip them). */
  nInit: number;
  /** Whether nInit is the official value or our documented choice for a dataset without one. */
  nInitOfficial: boolean;
  /** Builds the training experiment(s) and the named test sets from the file's signals. */
  build(table: SignalTable): { train: Experiment[]; tests: Record<string, Experiment> };
}

function range(
  u: Float64Array,
  y: Float64Array,
  start: number,
  end: number,
  name: string,
): Experiment {
  if (end > u.length || end > y.length) {
    throw new NailsError(
      `${name}: range [${start}, ${end}) needs ${end} samples but the file has ${Math.min(u.length, y.length)}`,
      name,
    );
  }
  return makeExperiment({ name, u: u.slice(start, end), y: y.slice(start, end) });
}

export const DATASETS: Record<DatasetId, DatasetProtocol> = {
  cascaded_tanks: {
    id: 'cascaded_tanks',
    title: 'Cascaded tanks with overflow',
    file: 'cascaded_tanks/dataBenchmark.mat',
    Ts: 4,
    unit: 'V',
    metricUnit: 'V',
    metricScale: 1,
    nInit: 5,
    nInitOfficial: true,
    build: (t) => ({
      train: [makeExperiment({ name: 'train', u: getVector(t, 'uEst'), y: getVector(t, 'yEst') })],
      tests: {
        test: makeExperiment({ name: 'test', u: getVector(t, 'uVal'), y: getVector(t, 'yVal') }),
      },
    }),
  },
  silverbox: {
    id: 'silverbox',
    title: 'Silverbox (electronic Duffing oscillator)',
    file: 'silverbox/SNLS80mV.mat',
    Ts: 1 / 610.3515625,
    unit: 'V',
    metricUnit: 'mV',
    metricScale: 1000,
    nInit: 50,
    nInitOfficial: true,
    build: (t) => {
      const u = getVector(t, 'V1');
      const y = getVector(t, 'V2');
      return {
        train: [range(u, y, 40650, 105712, 'train')],
        tests: {
          test_multisine: range(u, y, 105712, 127400, 'test_multisine'),
          test_arrow_full: range(u, y, 100, 40575, 'test_arrow_full'),
          test_arrow_no_extrapolation: range(u, y, 100, 32100, 'test_arrow_no_extrapolation'),
        },
      };
    },
  },
  wiener_hammerstein_2009: {
    id: 'wiener_hammerstein_2009',
    title: 'Wiener–Hammerstein 2009',
    file: 'wiener_hammerstein_2009/WienerHammerBenchMark.mat',
    Ts: 1 / 51200,
    unit: 'V',
    metricUnit: 'mV',
    metricScale: 1000,
    nInit: 50,
    nInitOfficial: true,
    build: (t) => {
      const u = getVector(t, 'uBenchMark');
      const y = getVector(t, 'yBenchMark');
      return {
        train: [range(u, y, 5200, 105200, 'train')],
        tests: { test: range(u, y, 105200, 184000, 'test') },
      };
    },
  },
  mr_damper: {
    id: 'mr_damper',
    title: 'Magneto-rheological fluid damper',
    file: 'mr_damper/damper.mat',
    Ts: 0.005,
    unit: 'N',
    metricUnit: 'N',
    metricScale: 1,
    nInit: 10,
    nInitOfficial: false,
    build: (t) => {
      const u = getVector(t, 'X');
      const y = getVector(t, 'y');
      return {
        train: [range(u, y, 0, 2000, 'train')],
        tests: { test: range(u, y, 2000, 3499, 'test') },
      };
    },
  },
  two_tank: {
    id: 'two_tank',
    title: 'Two-tank process (MATLAB twotankdata)',
    file: 'two_tank/TwoTanksMatlab.mat',
    Ts: 0.2,
    unit: 'm',
    metricUnit: 'm',
    metricScale: 1,
    nInit: 10,
    nInitOfficial: false,
    build: (t) => ({
      train: [makeExperiment({ name: 'train', u: getVector(t, 'U'), y: getVector(t, 'Y') })],
      tests: {
        test: makeExperiment({ name: 'test', u: getVector(t, 'U_val'), y: getVector(t, 'Y_val') }),
      },
    }),
  },
};

/** The protocol of a dataset by id; unknown ids list the known ones. */
export function datasetProtocol(id: string): DatasetProtocol {
  const p = (DATASETS as Record<string, DatasetProtocol>)[id];
  if (!p)
    throw new NailsError(
      `unknown dataset '${id}'; known datasets: ${Object.keys(DATASETS).join(', ')}`,
      'dataset',
    );
  return p;
}
