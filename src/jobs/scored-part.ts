/** A scored part of a run as the job protocol carries it (the fields the extension shows). */
import type { ScoredPart } from '../protocol/host-jobs.js';

export function scoredPart(x: ScoredPart): ScoredPart {
  return {
    kind: x.kind,
    name: x.name,
    N: x.N,
    nInit: x.nInit,
    outputs: x.outputs,
    channels: x.channels,
  };
}
