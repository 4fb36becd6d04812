// Registers the project's training kernels for backends that lack fast ones (wasm, cpu).

/** Registers project kernels for the named tfjs backend (no-op for native TensorFlow). */
export function registerProjectKernels(tfBackend: string): void {
  void tfBackend;
}
