// The regime table of issue 15 part 1: originals only (privacy goal), trained on the cpu recipe for a grid of
// (training-set size, augmentation — random crop with 4-pixel padding and horizontal flip —, epochs, width k), with
// their test, validation, retain ("train") and forget errors from the stored features, to choose the cpu profile
// (and, with --dataset fashion-mnist, cpu-fmnist: the same recipe; the model's input shape comes from the data set).
// Run: npx tsx bench/regime.ts [--dataset cifar10|fashion-mnist] [--sizes 5000,10000] [--augment off,on] [--widths 1,4,16]
//      [--epochs 30] [--seeds 0] [--forget 100] [--shard I/N] (one process per shard shares the store; UNLEARN_STORE
//      picks it) [--json]
import { parseArgs } from 'util';
import { getProfile } from '../lib/experiment/profiles';
import { originalConfig } from '../lib/experiment/configs';
import { trainOriginal, type OriginalConfig } from '../lib/experiment/original';
import { modelFeatures } from '../lib/experiment/features';
import { splitErrorsOf } from '../lib/metrics/features';
import { ensureBackend } from '../lib/backend/select';
import { terminalProgress } from '../lib/notebook/progress';
import { datasets, type DatasetName } from '../lib/experiment/datasets';
import { pick } from '../lib/util/errors';

const { values: o } = parseArgs({
  options: {
    dataset: { type: 'string', default: 'cifar10' },
    sizes: { type: 'string', default: '5000,10000' },
    augment: { type: 'string', default: 'off,on' },
    widths: { type: 'string', default: '1,4,16' },
    epochs: { type: 'string', default: '30' },
    seeds: { type: 'string', default: '0' },
    forget: { type: 'string', default: '100' },
    shard: { type: 'string', default: '0/1' },
    json: { type: 'boolean', default: false },
  },
});
const list = (s: string) => s.split(',').map(Number);
try {
  pick(datasets, o.dataset as string, 'data set'); // a misspelt name fails before any training, listing the valid ones
} catch (e) {
  console.error(`bench/regime: ${(e as Error).message}`);
  process.exit(2);
}

(async () => {
  await ensureBackend();
  const cpu = getProfile('cpu');
  const base = { ...cpu, data: { ...cpu.data, dataset: o.dataset as DatasetName } };
  const [index, count] = (o.shard as string).split('/').map(Number);
  const cells: { size: number; augment: boolean; epochs: number; k: number; seed: number }[] = [];
  for (const size of list(o.sizes as string))
    for (const augment of (o.augment as string).split(',').map((a) => a === 'on'))
      for (const epochs of list(o.epochs as string))
        for (const k of list(o.widths as string))
          for (const seed of list(o.seeds as string)) cells.push({ size, augment, epochs, k, seed });
  // Largest first, dealt round-robin, so the shards finish at about the same time.
  const cost = (c: (typeof cells)[number]) => c.size * c.epochs * c.k ** 1.3;
  const mine = cells.sort((a, b) => cost(b) - cost(a)).filter((_, i) => i % count === index);
  const rows = [];
  for (const c of mine) {
    const cell = await originalConfig(base, { goal: 'privacy', k: c.k, seed: c.seed }, { epochs: c.epochs });
    const cfg: OriginalConfig = {
      ...cell,
      data: { ...cell.data, augment: c.augment, split: { ...cell.data.split, trainSize: c.size, forget: Number(o.forget) } },
    };
    const e = await trainOriginal(cfg, { progress: o.json ? undefined : terminalProgress() });
    const err = splitErrorsOf(await modelFeatures(e, cfg.data, cfg.seed));
    const row = {
      dataset: cfg.data.dataset,
      ...c,
      test: err.test,
      validation: err.validation,
      train: err.retain,
      forget: err.forget,
      seconds: e.meta.seconds,
      hash: e.hash,
    };
    rows.push(row);
    if (!o.json) {
      const pct = (x: number) => (100 * x).toFixed(1).padStart(5);
      console.log(
        `${cfg.data.dataset} n=${c.size} aug=${c.augment ? 'on ' : 'off'} epochs=${c.epochs} k=${String(c.k).padStart(2)} seed=${c.seed}: test ${pct(err.test)}%  val ${pct(err.validation)}%  train ${pct(err.retain)}%  forget ${pct(err.forget)}%  (${e.meta.seconds.toFixed(0)} s${e.computed ? '' : ', stored'})`,
      );
    }
  }
  if (o.json) console.log(JSON.stringify(rows));
})();
