/**
 * A pass helper thread (bundled as dist/pass-helper.cjs): runs pieces of the Gauss–Newton pass
 * for the solver thread that started it (src/worker/pass-pool.ts), one at a time, on the port in
 * its workerData (serve-pieces.ts).
 */
import { workerData, type MessagePort } from 'node:worker_threads';
import type { HelperEndpoint } from '../protocol/pass-messages.js';
import { servePieces } from './serve-pieces.js';

const data = workerData as HelperEndpoint<MessagePort>;
servePieces(data.port, new Int32Array(data.done));
