// `unlearn bench` (npm run bench): training and inference img/s of ResNet-18k per width on the current
// backend, with peak RSS, as a table and as JSON; compare with PyTorch via bench/torch_speed.py.
import type { Command } from '../command';
import { intList, intOpt, printJson } from '../command';
import { ensureBackend } from '../../backend/select';
import { adapterLabel } from '../../backend/webgpu/adapter';
import { measureSpeed, type SpeedResult } from '../../bench/speed';
import { defaultSpec } from '../../models/model';
import { pick } from '../../util/errors';
import { archs } from '../../models/registry';

export const bench: Command = {
  summary: 'measure training and inference img/s per width',
  usage: 'usage: unlearn bench [--arch resnet18k] [--k 4,8,16,32] [--batch 128] [--infer-batch 512] [--steps 3] [--json]',
  options: {
    arch: { type: 'string', default: 'resnet18k' },
    k: { type: 'string', default: '4,8,16,32' },
    batch: { type: 'string' },
    'infer-batch': { type: 'string' },
    steps: { type: 'string' },
    json: { type: 'boolean' },
  },
  async run(v) {
    const arch = String(v.arch);
    pick(archs, arch, 'architecture');
    const ks = intList(v.k, '--k', { min: 1 });
    const batch = intOpt(v.batch, '--batch', 128, { min: 1 }),
      steps = intOpt(v.steps, '--steps', 3, { min: 1 });
    const inferBatch = intOpt(v['infer-batch'], '--infer-batch', 512, { min: 1 });
    const info = await ensureBackend();
    const rows: SpeedResult[] = [];
    const adapter = info.adapter ? ` on ${adapterLabel(info.adapter)}` : '';
    if (!v.json)
      console.log(
        `backend ${info.choice}${adapter}; batch ${batch} (train), ${inferBatch} (inference), 256 (grid)\n  arch        k   train img/s   infer img/s   grid img/s   peak RSS MiB   device MiB`,
      );
    for (const k of ks) {
      const r = await measureSpeed({ ...defaultSpec, arch, k }, { trainBatch: batch, steps, inferBatch });
      rows.push(r);
      if (!v.json)
        console.log(
          `  ${arch.padEnd(10)} ${String(k).padStart(3)}   ${r.trainImgPerSec.toFixed(1).padStart(11)}   ${r.inferImgPerSec?.toFixed(1).padStart(11)}   ${r.gridImgPerSec?.toFixed(1).padStart(10)}   ${r.peakRssMiB.toFixed(0).padStart(12)}   ${r.deviceMiB.toFixed(0).padStart(10)}`,
        );
    }
    if (v.json) printJson({ backend: info, results: rows });
    return 0;
  },
};
