// AssemblyScript entry of the Gauss–Newton kernels, compiled into one WebAssembly module (one
// memory) by scripts/build-kernels.mjs: the accumulation M += AᵀA and one sample of the
// sensitivity recursion that writes the rows of A.
export { syrk } from './syrk';
export { step } from './sensitivity';
