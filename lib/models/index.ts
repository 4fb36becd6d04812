// Public API of the model family, one line per export.
export type { ModelSpec, Model, Arch, ForwardMode } from './types';
export { archs, type ArchName } from './registry';
export { createModel, forward, cloneModel, disposeModel, countParams, paramCount, defaultSpec, validateSpec } from './model';
