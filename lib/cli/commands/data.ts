// `unlearn data prepare|check`: build the CIFAR-10 cache (download with checksum, or import a local archive or
// folder with --from) and verify it.
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
    '       unlearn data check [--hashes] [--json]',
  ].join('\n'),
  options: { from: { type: 'string' }, force: { type: 'boolean' }, hashes: { type: 'boolean' }, json: { type: 'boolean' } },
  async run(v, pos) {
    const action = pos[0];
    if (action === 'prepare') {
      const r = await prepareCifar10({ from: v.from as string | undefined, force: !!v.force });
      if (v.json) printJson(r);
      else console.log(r.action === 'present' ? `CIFAR-10 already prepared in ${r.dir}` : `CIFAR-10 ${r.action} into ${r.dir} in ${r.seconds.toFixed(1)} s`);
      return 0;
    }
    if (action === 'check') {
      const report = await checkCifar10({ hashes: !!v.hashes });
      if (v.json) printJson(report);
      else console.log(formatCifar10Check(report));
      return report.ok ? 0 : 1;
    }
    throw new UsageError(`expected 'prepare' or 'check', got '${action ?? ''}'\n${data.usage}`);
  },
};
