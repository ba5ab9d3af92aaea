/**
 * Helpers for the Gauss–Newton pass of one fit (the `PieceRunner` of core/solver/parallel-pass.ts):
 * the one the fit's host thread serves (solver-host.ts) and helper threads of their own. The
 * solver thread runs synchronously, so it hands pieces to the helpers by message and then blocks
 * on a shared flag per helper (Atomics.wait) until the answer is on the helper's port
 * (receiveMessageOnPort) — the pattern of src/io/sync-worker.ts.
 */
import { existsSync } from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  MessageChannel,
  receiveMessageOnPort,
  Worker,
  type MessagePort,
} from 'node:worker_threads';
import { NailsError } from '../core/errors.js';
import type { LossConfig } from '../core/losses/index.js';
import type { PieceOptions, PieceResult, Segment } from '../core/solver/pass-pieces.js';
import type { PieceRunner } from '../core/solver/parallel-pass.js';
import { unpackZ, type Problem } from '../core/solver/problem.js';
import type {
  HelperEndpoint,
  PieceAnswer,
  PieceRequest,
  PassSetup,
} from '../protocol/pass-messages.js';

/** The helper script: beside the bundle (dist/pass-helper.cjs) or the TypeScript source under tsx. */
export function passHelperPath(): string {
  if (typeof __dirname === 'string') return path.join(__dirname, 'pass-helper.cjs');
  return path.join(path.dirname(fileURLToPath(import.meta.url)), 'pass-helper.ts');
}

/** How long the solver thread waits for one piece before it gives up (a hung helper). */
const PIECE_TIMEOUT_MS = 10 * 60_000;

interface Helper {
  port: MessagePort;
  done: Int32Array;
  /** Null for a helper served by another thread (its port's closing ends it). */
  worker: Worker | null;
}

export class PassPool implements PieceRunner {
  readonly helpers: number;
  private readonly threads: Helper[] = [];
  private readonly cancelFlag = new Int32Array(new SharedArrayBuffer(4));
  private running = 0;
  private setupFor: { model: unknown; experiments: unknown } | undefined;
  private key = 0;

  /**
   * `helpers` helpers for the problems of one fit, whose loss is `loss` (the helpers rebuild it
   * from its configuration; problems with another loss are refused): first the endpoints `served`
   * by other threads (the fit's host thread), then helper threads of this pool for the rest.
   */
  constructor(
    helpers: number,
    private readonly loss: LossConfig,
    served: readonly HelperEndpoint<MessagePort>[] = [],
    script = passHelperPath(),
  ) {
    for (const e of served.slice(0, helpers))
      this.threads.push({ port: e.port, done: new Int32Array(e.done), worker: null });
    if (this.threads.length < helpers && !existsSync(script))
      throw new NailsError(
        `the pass helper ${script} is missing; rebuild (npm run build) or reinstall`,
      );
    while (this.threads.length < helpers) {
      const { port1, port2 } = new MessageChannel();
      const done = new Int32Array(new SharedArrayBuffer(4));
      const data: HelperEndpoint<MessagePort> = { port: port2, done: done.buffer };
      const worker = new Worker(script, { workerData: data, transferList: [port2] });
      worker.unref();
      this.threads.push({ worker, port: port1, done });
    }
    this.helpers = this.threads.length;
  }

  start(p: Problem, z: Float64Array, pieces: readonly Segment[][], o: PieceOptions): void {
    if (p.loss.name !== this.loss.name)
      throw new Error(`pass pool for loss ${this.loss.name} asked for ${p.loss.name}`);
    Atomics.store(this.cancelFlag, 0, 0);
    if (this.setupFor?.model !== p.model.config || this.setupFor.experiments !== p.experiments) {
      this.key++;
      this.setupFor = { model: p.model.config, experiments: p.experiments };
      const setup: PassSetup = {
        type: 'setup',
        key: this.key,
        model: p.model.config,
        loss: this.loss,
        experiments: [...p.experiments],
        cancel: this.cancelFlag.buffer,
      };
      for (const t of this.threads) t.port.postMessage(setup);
    }
    // The helpers' problems always train x0: send (θ, x0_1, …, x0_E) whatever p's layout.
    const { theta, x0s } = unpackZ(p, z);
    const full = new Float64Array(theta.length + x0s.length);
    full.set(theta);
    full.set(x0s, theta.length);
    this.running = Math.min(pieces.length, this.threads.length);
    for (let i = 0; i < this.running; i++) {
      const t = this.threads[i]!;
      Atomics.store(t.done, 0, 0);
      const request: PieceRequest = {
        type: 'piece',
        key: this.key,
        z: full,
        piece: pieces[i]!,
        chunk: o.chunk,
        derivatives: o.derivatives,
      };
      t.port.postMessage(request);
    }
  }

  collect(): (PieceResult | null)[] {
    const out: (PieceResult | null)[] = [];
    let failure: string | undefined;
    for (let i = 0; i < this.running; i++) {
      const t = this.threads[i]!;
      if (Atomics.wait(t.done, 0, 0, PIECE_TIMEOUT_MS) === 'timed-out')
        failure ??= `a pass helper did not answer within ${PIECE_TIMEOUT_MS / 1000} s`;
      const m = receiveMessageOnPort(t.port)?.message as PieceAnswer | undefined;
      if (m?.error) failure ??= `a pass helper failed: ${m.error}`;
      out.push(m?.result ?? null);
    }
    this.running = 0;
    if (failure) throw new Error(failure);
    return out;
  }

  cancel(): void {
    Atomics.store(this.cancelFlag, 0, 1);
  }

  /** Stops the helper threads and closes every helper's port (a served helper ends with it). */
  async close(): Promise<void> {
    await Promise.all(this.threads.flatMap((t) => (t.worker ? [t.worker.terminate()] : [])));
    for (const t of this.threads) t.port.close();
  }
}
