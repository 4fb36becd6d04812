// `npm run kernel:install` / `kernel:uninstall` (scripts/kernel-install.js): the kernelspec lands in the user's Jupyter
// data folder (a temporary JUPYTER_DATA_DIR here), jupyter_client finds it without the project's JUPYTER_PATH, and
// uninstall removes it. Skipped without Debian's jupyter_client.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

const root = path.resolve(__dirname, '..');
const PYTHON = process.env['JUPYTER_PYTHON'] || '/usr/bin/python3';
const noClient = spawnSync(PYTHON, ['-c', 'import jupyter_client'], { stdio: 'ignore' }).status !== 0;

test(
  'kernel:install registers unlearn-tslab in the user data folder; kernel:uninstall removes it',
  { skip: noClient && `jupyter_client not importable by ${PYTHON}` },
  () => {
    const data = fs.mkdtempSync(path.join(os.tmpdir(), 'jupyter-data-'));
    const env = { ...process.env, JUPYTER_DATA_DIR: data, JUPYTER_PATH: '' };
    try {
      const install = spawnSync(process.execPath, ['scripts/kernel-install.js', '--profile', 'smoke'], {
        cwd: root,
        env,
        encoding: 'utf8',
      });
      assert.equal(install.status, 0, install.stderr);
      const spec = JSON.parse(fs.readFileSync(path.join(data, 'kernels', 'unlearn-tslab', 'kernel.json'), 'utf8'));
      assert.deepEqual(spec.argv, [
        process.execPath,
        path.join(root, 'jupyter', 'kernels', 'unlearn-tslab', 'start.js'),
        '{connection_file}',
      ]);
      assert.equal(spec.env.UNLEARN_PROFILE, 'smoke');
      const found = spawnSync(
        PYTHON,
        ['-c', 'from jupyter_client.kernelspec import KernelSpecManager as K; print(K().find_kernel_specs()["unlearn-tslab"])'],
        { env, encoding: 'utf8' },
      );
      assert.equal(found.stdout.trim(), path.join(data, 'kernels', 'unlearn-tslab'), found.stderr);
      assert.equal(
        spawnSync(process.execPath, ['scripts/kernel-install.js', '--profile', 'huge'], { cwd: root, env, encoding: 'utf8' }).status,
        2,
      );
      const un = spawnSync(process.execPath, ['scripts/kernel-install.js', '--uninstall'], { cwd: root, env, encoding: 'utf8' });
      assert.equal(un.status, 0, un.stderr);
      assert.equal(fs.existsSync(path.join(data, 'kernels', 'unlearn-tslab')), false);
    } finally {
      fs.rmSync(data, { recursive: true, force: true });
    }
  },
);
