// `unlearn params`: trainable-parameter counts of an architecture over widths k (ResNet-18k matches the
// reference PyTorch definition, e.g. k=64: 11,172,170).
import type { Command } from '../command';
import { intList, intOpt, printJson } from '../command';
import { ensureBackend } from '../../backend/select';
import { paramCount, defaultSpec } from '../../models/model';
import { pick } from '../../util/errors';
import { archs } from '../../models/registry';

export const params: Command = {
  summary: 'count trainable parameters per width',
  usage: 'usage: unlearn params --arch resnet18k|allcnn|cnn4 --k 4,8,16 [--classes 10] [--json]',
  options: {
    arch: { type: 'string', default: 'resnet18k' },
    k: { type: 'string' },
    classes: { type: 'string' },
    json: { type: 'boolean' },
  },
  async run(v) {
    const arch = String(v.arch);
    pick(archs, arch, 'architecture');
    const ks = intList(v.k ?? '1,2,4,8,16,32,64', '--k', { min: 1 });
    const classes = intOpt(v.classes, '--classes', 10, { min: 1 });
    await ensureBackend();
    const rows = ks.map((k) => ({ arch, k, params: paramCount({ ...defaultSpec, arch, k, numClasses: classes }) }));
    if (v.json) printJson(rows);
    else
      for (const r of rows)
        console.log(`${r.arch} k=${String(r.k).padStart(3)}  ${r.params.toLocaleString('en-US').padStart(12)} parameters`);
    return 0;
  },
};
