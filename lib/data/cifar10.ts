// CIFAR-10 (Krizhevsky 2009): the public API of the cache (import, download, prepare, load, check), one module
// per concept; this file re-exports them so `import ... from './data/cifar10'` keeps working.
export * from './cifar10-cache';
export * from './cifar10-import';
export * from './cifar10-download';
export * from './cifar10-prepare';
export * from './cifar10-load';
export * from './cifar10-cache-check';
