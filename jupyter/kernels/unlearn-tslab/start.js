// Start script of the project-local tslab kernel: chdir to the repository root, then start node_modules/tslab
// (follows tslab 1.0.22's dist/main.js startKernel; Jupyter kernel protocol via its ZmqServer).
//
// Why: tslab sets TypeScript's rootDir to the kernel's working directory and Jupyter starts kernels in the
// notebook's folder, so notebooks in notebooks/ could not import ../lib. From the root they import ./lib/...
//
// Extras (all optional, driven by environment variables):
// - UNLEARN_KERNEL_STDERR=<file>: append everything the kernel writes to stderr to <file>, including what
//   tslab forwards to the notebook (TypeScript diagnostics, UnhandledPromiseRejection, UncaughtException),
//   with a line EXECUTE_MARKER at the start of each execute_request, so the log splits into one segment per
//   executed cell (an unhandled rejection is logged right after its cell's reply, before the next cell
//   starts). scripts/run-notebooks.py reads it to fail on type errors and unhandled rejections.
// - Works around a tslab 1.0.22 bug that breaks every later cell ("Unexpected pending rebuildTimer") once a
//   file is created or deleted in a folder TypeScript watches for module resolution (lib/ folders with
//   imported modules, node_modules/): see fixWatchTimers below.
// - An interrupted cell ends with tslab's one-line "Error: Interrupted asynchronously", without tslab's stack.
// - After a shutdown_request the process exits within a second even if something (a headless browser
//   kept by lib/plot/render-png.ts) still holds the event loop, so Jupyter need not SIGKILL it.
'use strict';
const fs = require('fs');
const path = require('path');

/** Written to the UNLEARN_KERNEL_STDERR log when a cell starts executing (keep in sync with run-notebooks.py). */
const EXECUTE_MARKER = '::unlearn-kernel:execute::';

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
fixWatchTimers();
exitAfterShutdown();
shortInterruptMessage();

const { startKernel } = require(mainJs);
startKernel({ configPath: connectionFile, enableFindLocal: false, jsKernel: false, globalVersion: '' });

/**
 * Appends every write to process.stderr to `file`. tslab replaces process.stderr.write before each cell
 * (to forward it to the notebook); an accessor property wraps each replacement with the tee.
 */
function teeStderr(file) {
  if (!file) return;
  const fd = fs.openSync(file, 'a');
  const marker = '\n' + EXECUTE_MARKER + '\n';
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
      // tslab assigns a new write function when an execute_request starts.
      try {
        fs.writeSync(fd, marker);
      } catch {
        // as above
      }
      current = tee(fn);
    },
  });
}

/**
 * tslab's converter gives TypeScript's watch host a one-slot fake setTimeout (sys.setTimeout, throwing
 * "Unexpected pending rebuildTimer" when the slot is taken) and only ever fires the program-update timer.
 * A directory-watcher event (a .ts/.js/.json file created or deleted next to imported modules or in
 * node_modules) makes TypeScript schedule `invalidateResolutionsOfFailedLookup` in that slot, and every
 * later cell then fails. tslab assigns its fake timers onto `Object.create(ts.sys)`; accessors on ts.sys
 * catch those assignments, keep program-update timers on tslab's slot and run every other timer as a real
 * (unref'd) timer, as `tsc --watch` does. The invalidation then schedules a program update that the next
 * cell performs.
 */
function fixWatchTimers() {
  const tsPath = require.resolve('@tslab/typescript-for-tslab', { paths: [path.join(root, 'node_modules', 'tslab', 'dist')] });
  const sys = require(tsPath).sys;
  const realSet = sys.setTimeout;
  const realClear = sys.clearTimeout;
  const fakes = new WeakMap(); // converter sys -> { set, clear } assigned by tslab
  const real = new Set(); // handles of timers we run for real
  const slot = (self) => {
    let f = fakes.get(self);
    if (!f) fakes.set(self, (f = {}));
    return f;
  };
  Object.defineProperty(sys, 'setTimeout', {
    configurable: true,
    enumerable: true,
    get() {
      const f = fakes.get(this);
      if (!f || !f.set) return realSet;
      return function (callback, ms, ...args) {
        if (callback && callback.name === 'updateProgramWithWatchStatus') return f.set.call(this, callback, ms, ...args);
        const handle = setTimeout(() => {
          real.delete(handle);
          callback(...args);
        }, ms);
        handle.unref();
        real.add(handle);
        return handle;
      };
    },
    set(fn) {
      slot(this).set = fn;
    },
  });
  Object.defineProperty(sys, 'clearTimeout', {
    configurable: true,
    enumerable: true,
    get() {
      const f = fakes.get(this);
      if (!f || !f.clear) return realClear;
      return function (handle) {
        if (real.delete(handle)) return clearTimeout(handle);
        return f.clear.call(this, handle);
      };
    },
    set(fn) {
      slot(this).clear = fn;
    },
  });
}

/**
 * tslab ends an interrupted cell by printing its one "Interrupted asynchronously" Error, created when the executor
 * is, with a stack of tslab's own frames. Creating the executor without stack frames leaves the one-line message
 * (lib/util/cancel.ts adds what happens to the stopped computation).
 */
function shortInterruptMessage() {
  const executor = require(path.join(root, 'node_modules', 'tslab', 'dist', 'executor.js'));
  const create = executor.createExecutor;
  executor.createExecutor = function (...args) {
    const limit = Error.stackTraceLimit;
    Error.stackTraceLimit = 0;
    try {
      return create.apply(this, args);
    } finally {
      Error.stackTraceLimit = limit;
    }
  };
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
