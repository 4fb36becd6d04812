// Builds the optional oneDNN addon (native/binding.gyp → native/build/Release/unlearn_onednn.node) with
// node-gyp against Debian's libdnnl-dev 2.6 and the local Node headers, then checks that it loads.
// Usage: node native/build.js [--optional]   (--optional: explain and exit 0 when it cannot build, for
// npm's install step; UNLEARN_SKIP_NATIVE=1 skips; UNLEARN_REQUIRE_NATIVE=1, e.g. in CI, makes any failure
// an error even with --optional). Needs: g++, make, python3, libdnnl-dev.
'use strict';
const fs = require('fs');
const path = require('path');
const { spawnSync } = require('child_process');

const optional = process.argv.includes('--optional') && process.env.UNLEARN_REQUIRE_NATIVE !== '1';
const here = __dirname;
const out = path.join(here, 'build', 'Release', 'unlearn_onednn.node');

function stop(reason) {
  if (optional) {
    console.log(`oneDNN addon not built (optional; TF.js falls back to wasm): ${reason}`);
    process.exit(0);
  }
  console.error(`native/build.js: ${reason}`);
  process.exit(1);
}

/** node-gyp: npm's own copy (npm sets npm_config_node_gyp for scripts), a local install, or npm's next to node. */
function findNodeGyp() {
  const candidates = [
    process.env.npm_config_node_gyp,
    (() => {
      try {
        return require.resolve('node-gyp/bin/node-gyp.js');
      } catch {
        return undefined;
      }
    })(),
    path.join(path.dirname(process.execPath), '..', 'lib', 'node_modules', 'npm', 'node_modules', 'node-gyp', 'bin', 'node-gyp.js'),
    path.join(path.dirname(process.execPath), 'node_modules', 'npm', 'node_modules', 'node-gyp', 'bin', 'node-gyp.js'),
  ];
  return candidates.find((c) => c && fs.existsSync(c));
}

/** A --nodedir with include/node/node_api.h for the running Node (distribution packages ship them), else none. */
function findNodeDir() {
  const prefix = path.resolve(path.dirname(process.execPath), '..');
  const dirs = [process.env.npm_config_nodedir, prefix, '/usr', '/usr/local'];
  return dirs.find(
    (d) =>
      d && fs.existsSync(path.join(d, 'include', 'node', 'node_api.h')) && fs.existsSync(path.join(d, 'include', 'node', 'common.gypi')),
  );
}

if (process.env.UNLEARN_SKIP_NATIVE === '1') stop('UNLEARN_SKIP_NATIVE=1');
if (process.platform !== 'linux') stop(`platform ${process.platform} (the addon is built for Linux with Debian's libdnnl)`);
const header = ['/usr/include/oneapi/dnnl/dnnl.hpp', '/usr/local/include/oneapi/dnnl/dnnl.hpp'].find((h) => fs.existsSync(h));
if (!header) stop('oneDNN headers not found (apt-get install libdnnl-dev)');
const gyp = findNodeGyp();
if (!gyp) stop('node-gyp not found (it ships with npm)');
const nodedir = findNodeDir();
const args = [gyp, 'rebuild', '--directory', here];
if (nodedir) args.push(`--nodedir=${nodedir}`);
console.log(
  `building oneDNN addon: node-gyp ${path.relative(process.cwd(), gyp)}${nodedir ? `, Node headers from ${nodedir}/include/node` : ' (downloading Node headers)'}`,
);
const r = spawnSync(process.execPath, args, { stdio: ['ignore', 'pipe', 'pipe'], encoding: 'utf8' });
if (r.status !== 0) {
  const log = `${r.stdout}\n${r.stderr}`
    .split('\n')
    .filter((l) => /error|Error|not found|No such/.test(l))
    .slice(0, 8)
    .join('\n');
  stop(`node-gyp failed (exit ${r.status}):\n${log || r.stderr.slice(-2000)}`);
}
// Load it in a fresh process: a missing shared library shows up here, not at build time.
const check = spawnSync(process.execPath, ['-e', `const a = require(${JSON.stringify(out)}); console.log(JSON.stringify(a.info()))`], {
  encoding: 'utf8',
});
if (check.status !== 0)
  stop(`built, but it does not load: ${(check.stderr || '').split('\n').find((l) => l.includes('Error')) || check.stderr}`);
console.log(`oneDNN addon built: ${path.relative(process.cwd(), out)} ${check.stdout.trim()}`);
