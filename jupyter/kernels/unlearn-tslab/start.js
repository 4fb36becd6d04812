// Start script of the project-local tslab kernel: chdir to the repository root, then start node_modules/tslab
// (follows tslab 1.0.22's dist/main.js startKernel; Jupyter kernel protocol via its ZmqServer).
//
// Why: tslab sets TypeScript's rootDir to the kernel's working directory and Jupyter starts kernels in the
// notebook's folder, so notebooks in notebooks/ could not import ../lib. From the root they import ./lib/...
//
// Extras (all optional, driven by environment variables):
// - UNLEARN_KERNEL_STDERR=<file>: append everything the kernel writes to stderr to <file>, including what
//   tslab forwards to the notebook (TypeScript diagnostics, UnhandledPromiseRejection, UncaughtException).
//   scripts/run-notebooks.py reads it to fail on type errors and unhandled rejections.
// - After a shutdown_request the process exits within a second even if something (a headless browser
//   kept by lib/plot/render-png.ts) still holds the event loop, so Jupyter need not SIGKILL it.
'use strict';
const fs = require('fs');
const path = require('path');

const root = path.resolve(__dirname, '..', '..', '..');
process.chdir(root);

const connectionFile = process.argv[2];
if (!connectionFile) {
  console.error('usage: node start.js <connection_file>');
  process.exit(2);
}

const mainJs = path.join(root, 'node_modules', 'tslab', 'dist', 'main.js');
if (!fs.existsSync(mainJs)) {
  console.error(`unlearn-tslab kernel: ${mainJs} not found; run 'npm install' in ${root}`);
  process.exit(1);
}

teeStderr(process.env.UNLEARN_KERNEL_STDERR);
exitAfterShutdown();

const { startKernel } = require(mainJs);
startKernel({ configPath: connectionFile, enableFindLocal: false, jsKernel: false, globalVersion: '' });

/**
 * Appends every write to process.stderr to `file`. tslab replaces process.stderr.write before each cell
 * (to forward it to the notebook); an accessor property wraps each replacement with the tee.
 */
function teeStderr(file) {
  if (!file) return;
  const fd = fs.openSync(file, 'a');
  const tee = (write) =>
    function (chunk, encoding, cb) {
      try {
        fs.writeSync(fd, typeof chunk === 'string' ? chunk : Buffer.from(chunk));
      } catch {
        // never let the log break the kernel
      }
      return write.call(process.stderr, chunk, encoding, cb);
    };
  let current = tee(process.stderr.write);
  Object.defineProperty(process.stderr, 'write', {
    configurable: true,
    enumerable: true,
    get: () => current,
    set: (fn) => {
      current = tee(fn);
    },
  });
}

/** Patches tslab's ZmqServer.close (called on shutdown_request) to exit the process shortly after. */
function exitAfterShutdown() {
  const jupyter = require(path.join(root, 'node_modules', 'tslab', 'dist', 'jupyter.js'));
  const close = jupyter.ZmqServer.prototype.close;
  jupyter.ZmqServer.prototype.close = function () {
    close.call(this);
    setTimeout(() => process.exit(0), 500).unref();
  };
}
