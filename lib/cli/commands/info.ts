// `unlearn info`: the compute backend chosen (and why others were skipped), versions, data and store paths.
import * as os from 'os';
import type { Command } from '../command';
import { printJson } from '../command';
import { computeIdentity, ensureBackend } from '../../backend/select';
import { adapterLabel } from '../../backend/webgpu/adapter';
import { dataRoot, repoRoot, storeRoot } from '../../util/paths';
import { getProfile } from '../../experiment/profiles';

export const info: Command = {
  summary: 'show the compute backend, versions and paths',
  usage: 'usage: unlearn info [--json]',
  options: { json: { type: 'boolean' } },
  async run(v) {
    const profile = getProfile().name;
    const b = await ensureBackend();
    const compute = computeIdentity();
    const report = {
      backend: b,
      compute,
      cpus: os.cpus().length,
      memoryGiB: +(os.totalmem() / 2 ** 30).toFixed(1),
      repo: repoRoot(),
      data: dataRoot(),
      store: storeRoot(),
      profile,
    };
    if (v.json) {
      printJson(report);
      return 0;
    }
    console.log(
      `backend   ${b.choice} (tf.getBackend() = ${b.tfBackend})${b.forced ? ' [forced by UNLEARN_BACKEND]' : ''}${b.precision === 'bf16' ? ' [bf16 convolutions: UNLEARN_PRECISION]' : ''}`,
    );
    for (const [name, why] of Object.entries(b.skipped)) console.log(`  skipped ${name}: ${why}`);
    if (b.adapter) {
      const a = b.adapter;
      console.log(`adapter   ${adapterLabel(a)}`);
      console.log(
        `          vendor ${a.vendor || '?'} · architecture ${a.architecture || '?'} · device ${a.device || '?'} · fallback ${a.isFallback ? 'yes (software)' : 'no (hardware)'} · max storage buffer ${(a.maxStorageBufferBindingSize / 2 ** 20).toFixed(0)} MiB`,
      );
      console.log(`          features ${a.features.join(', ')}`);
    }
    for (const [p, ver] of Object.entries(b.versions)) console.log(`version   ${p} ${ver}`);
    console.log(
      `keys      results are stored per compute identity: ${compute.backend}${compute.adapter ? `, adapter ${compute.adapter}` : ''}${compute.precision ? `, precision ${compute.precision}` : ''} (the thread count is not part of it: any UNLEARN_THREADS gives the same bits)`,
    );
    console.log(`machine   ${report.cpus} CPUs, ${report.memoryGiB} GiB`);
    console.log(`paths     repo ${report.repo}\n          data ${report.data}\n          store ${report.store}`);
    console.log(`profile   ${report.profile} (UNLEARN_PROFILE)`);
    return 0;
  },
};
