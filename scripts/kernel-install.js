// `npm run kernel:install` / `kernel:uninstall`: registers the project's tslab kernel ('unlearn-tslab') in the user's
// own Jupyter data folder, so a Jupyter or JupyterLab started anywhere finds it (follows Jupyter's kernelspec
// layout: <data dir>/kernels/<name>/kernel.json, and `jupyter --data-dir`'s defaults).
// Usage: node scripts/kernel-install.js [--uninstall] [--profile smoke|cpu|cpu-fmnist|paper]
'use strict';
const fs = require('fs');
const os = require('os');
const path = require('path');

const NAME = 'unlearn-tslab';
// The names of lib/experiment/profiles.ts, in its order (test/profiles.test.ts checks that they agree).
const PROFILES = ['smoke', 'cpu', 'cpu-fmnist', 'paper'];
const root = path.resolve(__dirname, '..');

/** The user's Jupyter data folder: JUPYTER_DATA_DIR, else the platform default `jupyter --data-dir` prints. */
function userDataDir() {
  if (process.env.JUPYTER_DATA_DIR) return path.resolve(process.env.JUPYTER_DATA_DIR);
  if (process.platform === 'darwin') return path.join(os.homedir(), 'Library', 'Jupyter');
  if (process.platform === 'win32') return path.join(process.env.APPDATA || os.homedir(), 'jupyter');
  return path.join(process.env.XDG_DATA_HOME || path.join(os.homedir(), '.local', 'share'), 'jupyter');
}

function main(argv) {
  const uninstall = argv.includes('--uninstall');
  const p = argv.indexOf('--profile');
  const profile = p >= 0 ? argv[p + 1] : process.env.UNLEARN_PROFILE;
  if (profile !== undefined && !PROFILES.includes(profile)) {
    console.error(`kernel-install: unknown profile '${profile}'; expected one of: ${PROFILES.join(', ')}`);
    return 2;
  }
  const unknown = argv.filter((a, i) => a !== '--uninstall' && a !== '--profile' && argv[i - 1] !== '--profile');
  if (unknown.length) {
    console.error(
      `kernel-install: unknown argument(s) ${unknown.join(' ')}; usage: node scripts/kernel-install.js [--uninstall] [--profile ${PROFILES.join('|')}]`,
    );
    return 2;
  }
  const dir = path.join(userDataDir(), 'kernels', NAME);
  if (uninstall) {
    if (!fs.existsSync(dir)) {
      console.log(`kernel-install: no kernel '${NAME}' in ${dir}; nothing to remove`);
      return 0;
    }
    fs.rmSync(dir, { recursive: true, force: true });
    console.log(`kernel-install: removed ${dir}`);
    return 0;
  }
  // The same start script as the project-local kernelspec, by absolute path, with this Node; the environment the
  // project's scripts set (PATH with this Node first, the profile if given) travels in the kernelspec's env.
  const env = { PATH: `${path.dirname(process.execPath)}${path.delimiter}${process.env.PATH || ''}` };
  if (profile) env.UNLEARN_PROFILE = profile;
  for (const v of ['UNLEARN_BACKEND', 'UNLEARN_DATA', 'UNLEARN_STORE', 'UNLEARN_THREADS', 'UNLEARN_WORKERS', 'CHROMIUM_PATH']) {
    if (process.env[v]) env[v] = process.env[v];
  }
  const spec = {
    argv: [process.execPath, path.join(root, 'jupyter', 'kernels', NAME, 'start.js'), '{connection_file}'],
    display_name: 'TypeScript (unlearn, tslab)',
    language: 'typescript',
    env,
    metadata: { unlearn: `installed by scripts/kernel-install.js from ${root}; remove with npm run kernel:uninstall` },
  };
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(path.join(dir, 'kernel.json'), JSON.stringify(spec, null, 1) + '\n');
  console.log(`kernel-install: kernel '${NAME}' → ${dir} (profile ${profile || 'from UNLEARN_PROFILE at kernel start, default cpu'})`);
  console.log(
    '  JupyterLab renders the interactive charts with the plotly extension (pip install plotly); without it, the static PNG shows.',
  );
  return 0;
}

process.exitCode = main(process.argv.slice(2));
