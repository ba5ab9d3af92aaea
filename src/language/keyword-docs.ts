/**
 * Hover text for the keywords of the .nails language: written here, and for the numeric settings
 * derived from settings-schema.ts (doc, range, default, units; a keyword of several sections lists
 * each).
 */
import { SETTINGS, settingSummary } from './settings-schema.js';

/** The schema's settings by keyword: `**solver**: …` per section after the first. */
function settingDocs(): Record<string, string> {
  const out: Record<string, string> = {};
  for (const d of SETTINGS) {
    const text = settingSummary(d);
    out[d.name] = out[d.name] ? `${out[d.name]} In \`${d.section}\`: ${text}` : text;
  }
  return out;
}

const WRITTEN: Record<string, string> = {
  experiment: 'Names the identification problem (used for run folders).',
  data: 'Where the input/output data come from (a CSV or MAT file, or a generator), the estimation and test parts, the sampling time and the scaling.',
  file: 'A data file (CSV/TSV/text, MATLAB MAT-file, NumPy .npy/.npz). Relative paths start at the spec\'s folder, then the data directory. A part reads one file; signals from another file take `from "…"`.',
  generate:
    "Generates a data set instead of reading one: `generate binary_output seed 3 samples 2000` (the paper's binary-output system, ALGORITHM.md §8).",
  sampling:
    'The sampling time, with a unit: `sampling 4 s`, `sampling 1.6384 ms`, or a rate `sampling 51200 Hz`.',
  scale:
    'Per-channel scaling fitted on the training data: `standard` (zero mean, unit standard deviation; results are reported in engineering units) or `none`.',
  train:
    'The estimation part: `train { input u output y }` for whole signals, or `train a..b { … }` for samples a (included) to b (excluded).',
  test: 'A test part, scored after training; several may be named (`test multisine 105712..127400`). `init n` reserves the first n samples to estimate the initial state.',
  validation:
    'A validation part to choose among several starts: `validation 20%` takes the last 20 % of the training part.',
  input:
    'Input signals (names of the file\'s variables or columns), comma separated. `U[2]` is row or column 2 (1-based) of a matrix variable; `unit V` declares their unit; `from "other.csv"` reads them from another file than the part\'s.',
  output:
    'In data: output signals (`Y[1]`, `unit V` and `from "…"` as for inputs). In a model: the output map ŷ = g(x, u).',
  unit: 'The unit of the signals on this line, e.g. `output y unit V` (reports and exports show it; `metric mV` converts from it).',
  metric:
    'The unit the RMSE is reported in, e.g. `metric mV` with `output y unit V` (× 1000). Units convert by SI prefix on a common base unit.',
  decimate:
    'Keeps every K-th sample after an anti-alias low-pass filter (a 20K + 1-tap Hamming-windowed FIR, zero phase, as MATLAB `decimate(x, K, "fir")`): `decimate 4`; `decimate 4 filter none` skips the filter. Ranges count samples of the file; `init` counts samples after decimation; the sampling time is multiplied by K.',
  filter: 'The decimation filter: `fir` (default) or `none`.',
  model:
    'The model family: `linear` (x⁺ = Ax + Bu, y = Cx [+ Du]), `rnn` (MLP state and output maps on [x; u], optionally plus a linear part) or `feedforward` (static, ŷ = MLP(u)).',
  state: 'The state map x⁺ = f(x, u).',
  hidden:
    "Hidden layer sizes of the map's MLP, e.g. `hidden [8]` or `hidden [16, 8]`; `hidden []` for none.",
  activation:
    'The activation of the hidden layers: tanh, atan, sigmoid, softplus, swish, elu, sin or identity (smooth, as Gauss–Newton needs).',
  linear: 'Adds the linear part: A x + B u in the state map, C x + D u in the output map.',
  feedthrough:
    'Lets the output depend directly on the input u[k] (D and/or the output MLP reads u).',
  final: 'The output activation: identity or sigmoid (probabilities for binary outputs).',
  loss: 'The per-sample loss ℓ(y, ŷ): mse, weighted_mse weights [...], cross_entropy epsilon 1e-4, logistic, pseudo_huber delta 1.',
  regularize:
    'Regularisers: `l2 weights ρθ x0 ρx0` (smooth), and the ADMM terms `l1`, `l0`, `group states|inputs`, `group_l0`, `budget k`.',
  l2: 'Smooth regularisation ρθ‖θ‖² (`weights`) and ρx0 Σ‖x0‖² (`x0`).',
  l1: 'ℓ1 penalty τ‖θ‖₁ on the named blocks (all of θ when none is named), by ADMM: exact zeros.',
  l0: 'ℓ0 penalty τ·(number of non-zeros) on the named blocks, by ADMM.',
  group:
    'Group-Lasso τ Σ‖θ_G‖₂ over the state groups (prunes states) or the input groups (prunes inputs).',
  group_l0: 'Group-ℓ0: τ per group that is not entirely zero (states or inputs).',
  budget: 'At most k non-zeros among the named blocks (an ℓ0 budget).',
  constrain:
    'Constraint sets on parameter blocks: `bounds`, `integer`, `quantize`, `mixed_integer`, by ADMM (exactly satisfied).',
  bounds: 'Box constraints: `bounds A in [-1.5, 1.5]`.',
  integer: 'Integer-valued parameters, optionally within a range: `integer output.W2 in [-3, 3]`.',
  quantize:
    'Parameters on a level set: `quantize output.W2 levels -8..8 step 2^-4` (17 levels from −0.5 to 0.5) or `levels {-1, 0, 1}`.',
  mixed_integer:
    'Some entries of the named blocks discrete (listed by 0-based position), the rest continuous.',
  solver:
    'The method: nailm (Levenberg–Marquardt, default), nails (line search), adam or lbfgs (first-order baselines), with its budgets and tolerances.',
  admm: 'ADMM settings: rho (penalty), iterations, inner (smooth steps per iteration), growth (ρ multiplier), polish (1 or 0).',
  from: 'After `input`/`output`: the data file these signals come from. After `init`: the file of the starting point.',
  init: 'In a data part, `init n`: the first n samples estimate x0 and are not scored. In a model, warm start: `init from "FILE"` reads θ and x0 from a run\'s model.json or a JSON of named blocks (`x0` and `parameters: {A: {rows, cols, values}, W1: …}`); a wrong name or size is an error here. Otherwise `init linear` (the default for models with a linear part in both maps: A, B, C, D and x0 from the linear stage — a PO-MOESP subspace estimate refined to output error — with the last layer of each MLP small, so training starts at the linear model) or `init random` (the seeded initialiser). Every run reports the linear model as a baseline.',
};

export const KEYWORD_DOCS: Record<string, string> = { ...WRITTEN, ...settingDocs() };
