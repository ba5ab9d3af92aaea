/** The spec as the analysis resolves it, and the diagnostics it reports. */
import type { AstNode } from 'langium';
import type { TermConfig } from '../../core/admm/terms.js';
import type { DecimationFilter } from '../../core/data/decimate.js';
import type { LinearStageSpec, MethodOptions, Method } from '../../core/fit-job.js';
import type { LossConfig } from '../../core/losses/index.js';
import type { Model, ModelConfig } from '../../core/models/model.js';
import type { DataHeader } from '../data-headers.js';
import type { FixData } from '../fix-data.js';
import type { InitPoint } from '../init-file.js';
import type { SignalSource } from '../part-signals.js';

export type Severity = 'error' | 'warning';

export interface SpecDiagnostic {
  severity: Severity;
  message: string;
  node: AstNode;
  property?: string;
  index?: number;
  /** The repairs the code actions offer (../fix-data.ts), best first, when there are obvious ones. */
  data?: FixData[];
}

export interface ResolvedPart {
  kind: 'train' | 'test' | 'validation';
  name: string;
  /** [start, end) in samples of the record, when given. */
  range?: [number, number];
  /** Last fraction of the training part (validation only). */
  fraction?: number;
  inputs: string[];
  outputs: string[];
  nInit: number;
  /** Absolute data file of this part (file data). */
  file?: string;
  /** Where each input / output channel comes from (file data; empty for generated data). */
  inputSources: SignalSource[];
  outputSources: SignalSource[];
  /** Unit of each input / output channel as declared (`input u unit V`), if any. */
  inputUnits: (string | undefined)[];
  outputUnits: (string | undefined)[];
  /** Anti-alias filter and keep every `factor`-th sample (after the range is cut). */
  decimate?: { factor: number; filter: DecimationFilter };
}

/** `metric mV`: the unit metrics are reported in, and the factor from each output's unit. */
export interface ResolvedMetric {
  unit: string;
  factors: number[];
}

export interface ResolvedSpec {
  name: string;
  data:
    | {
        kind: 'file';
        parts: ResolvedPart[];
        Ts?: number;
        scale: 'standard' | 'none';
        metric?: ResolvedMetric;
      }
    | {
        kind: 'generate';
        generator: 'binary_output';
        seed: number;
        samples: number;
        parts: ResolvedPart[];
        Ts?: number;
        scale: 'standard' | 'none';
        metric?: ResolvedMetric;
      };
  model: ModelConfig;
  modelSeed: number;
  /** The linear stage (baseline, and the start with `init linear`); absent for stateless models and classification losses. */
  linear?: LinearStageSpec;
  /** `init from "FILE"`: the starting θ (nθ) and x0 (nx, or E × nx) read from FILE. */
  init?: { file: string } & InitPoint;
  loss: LossConfig;
  rhoTheta: number;
  rhoX0: number;
  terms: TermConfig[];
  solver: {
    method: Method;
    options: MethodOptions;
    starts: number;
    select: 'train' | 'validation';
    seed: number;
    admm: {
      rho?: number;
      iterations?: number;
      inner?: number;
      rhoGrowth?: number;
      polish?: boolean;
    };
    /** Screening of seeded starts (`screen K`). */
    screen?: number;
    /** Multiple shooting (`shooting N`, `continuity ρ_c`, `refine n`). */
    shooting?: { window: number; weight?: number; refine?: number };
  };
}

export interface AnalysisContext {
  /** Folder of the spec file (relative data paths start here). */
  specDir: string;
  /** Further folders to look for data files in (e.g. NAILS_DATA_DIR). */
  dataDirs: readonly string[];
  /**
   * False in an untrusted workspace (Restricted Mode): data and init files are not read, and their
   * names get a warning that says so (analysis/restricted.ts). Default true.
   */
  readFiles?: boolean;
}

/** Analyses a spec; `resolved` is present only when there are no errors. */
export interface Analysis {
  diagnostics: SpecDiagnostic[];
  resolved?: ResolvedSpec;
  /** Data files read, by absolute path. */
  headers: Map<string, DataHeader>;
  /** The model as far as it could be built (for completion and hover, even with errors elsewhere). */
  model?: Model;
  /** Sampling time in seconds, when given. */
  Ts?: number;
}
