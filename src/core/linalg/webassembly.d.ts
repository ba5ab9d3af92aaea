/**
 * The part of the WebAssembly JavaScript API the kernels use (the ES lib does not declare it and
 * core must not depend on the DOM lib). Available in Node and in browsers.
 */
declare namespace WebAssembly {
  class Module {
    constructor(bytes: Uint8Array);
  }
  class Instance {
    constructor(module: Module, imports?: Record<string, Record<string, unknown>>);
    readonly exports: Record<string, unknown>;
  }
  class Memory {
    readonly buffer: ArrayBuffer;
    grow(pages: number): number;
  }
}
