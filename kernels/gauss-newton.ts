// AssemblyScript entry of the Gauss–Newton kernels, compiled into one WebAssembly module (one
// memory) by scripts/build-kernels.mjs: the accumulation M += AᵀA, one sample of the
// sensitivity recursion that writes the rows of A, and the state-space net's step, derivatives
// and per-block passes (simulation; derivatives and sensitivities, the rows scaled by the loss after);
// and the Cholesky factorisation and solve of the damped step.
export { syrk, syrkScaled } from './syrk';
export { step } from './sensitivity';
export { rnnStep, rnnJacobians } from './rnn-model';
export { rnnSimulate, rnnBlock } from './rnn-pass';
export { cholesky, choleskySolve } from './cholesky';
