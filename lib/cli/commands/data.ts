// `unlearn data prepare|check`: build the CIFAR-10 cache (download with checksum, or import a local archive or
// folder with --from; official counts enforced) and verify it (SHA-256 and content fingerprint).
import type { Command } from '../command';
import { printJson } from '../command';
import { prepareCifar10, checkCifar10, formatCifar10Check } from '../../data/cifar10';
import { UsageError } from '../../util/errors';

export const data: Command = {
  summary: 'prepare (download/import) or check the CIFAR-10 cache',
  usage: [
    'usage: unlearn data prepare [--from PATH] [--force] [--json]',
    '         PATH: the official cifar-10-binary.tar.gz, an extracted cifar-10-batches-bin folder, or an image-folder',
    '         archive/folder with train/<class>/*.jpg and test/<class>/*.jpg (e.g. ../shared/data/cifar10-jpeg.tar.gz)',
    '       unlearn data check [--fast] [--json]',
    "         verifies sizes, labels, per-class counts and (unless --fast) each file's SHA-256 against",
    '         manifest.json; prints the content fingerprint; exit 1 on any problem',
  ].join('\n'),
  options: {
    from: { type: 'string' },
    force: { type: 'boolean' },
    json: { type: 'boolean' },
    fast: { type: 'boolean' },
    hashes: { type: 'boolean' }, // the default now; still accepted
  },
  async run(v, pos) {
    const action = pos[0];
    if (action === 'prepare') {
      const r = await prepareCifar10({ from: v.from as string | undefined, force: !!v.force });
      if (v.json) printJson(r);
      else {
        const what = r.action === 'present' ? `already prepared in ${r.dir}` : `${r.action} into ${r.dir} in ${r.seconds.toFixed(1)} s`;
        console.log(`CIFAR-10 ${what} (fingerprint ${r.manifest.fingerprint})`);
      }
      return 0;
    }
    if (action === 'check') {
      const report = await checkCifar10({ hashes: !v.fast });
      if (v.json) printJson(report);
      else console.log(formatCifar10Check(report));
      return report.ok ? 0 : 1;
    }
    throw new UsageError(`expected 'prepare' or 'check', got '${action ?? ''}'\n${data.usage}`);
  },
};
