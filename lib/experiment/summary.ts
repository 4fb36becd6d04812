// Table rows that describe a run for notebook headers: backend and versions, data splits, model errors.
import { computeIdentity, type BackendInfo } from '../backend/select';
import { adapterLabel } from '../backend/webgpu/adapter';
import type { OriginalConfig, OriginalResult } from './original';
import type { StoreEntry } from '../store/store';
import { prepareData } from './data';
import { splitSummary } from '../data/splits';
import { describeDataset } from '../data/types';
import { modelFeatures } from './features';
import { splitErrorsOf } from '../metrics/features';

/** One row per fact about the compute backend. */
export function backendRows(b: BackendInfo): { item: string; value: string }[] {
  return [
    {
      item: 'backend',
      value: `${b.choice} (tf.getBackend() = ${b.tfBackend})${b.forced ? ', forced by UNLEARN_BACKEND' : ''}${b.precision === 'bf16' ? ', bf16 convolutions' : ''}`,
    },
    ...(b.adapter ? [{ item: 'webgpu adapter', value: `${adapterLabel(b.adapter)}; features ${b.adapter.features.join(', ')}` }] : []),
    {
      item: 'results stored per',
      value: Object.entries(computeIdentity())
        .map(([k, v]) => `${k} ${v}`)
        .join(', '),
    },
    ...Object.entries(b.skipped).map(([name, why]) => ({ item: `skipped ${name}`, value: why })),
    ...Object.entries(b.versions).map(([p, v]) => ({ item: p, value: v })),
  ];
}

/** One row per split of the experiment's data (sizes, goal). */
export async function dataRows(cfg: OriginalConfig): Promise<{ split: string; examples: number; note: string }[]> {
  const d = await prepareData(cfg.data, cfg.seed);
  const s = splitSummary(d.splits);
  const goal = d.splits.config.goal;
  const notes: Record<string, string> = {
    train: `${describeDataset(d.train)}; seed ${cfg.seed}`,
    validation: 'held out of the training images, stratified',
    test: 'official test images (subset if configured)',
    forget:
      goal === 'bias'
        ? `uniform over train; trained with labels (class + ${d.splits.config.biasShift}) mod C`
        : 'uniform over train (privacy goal)',
    retain: 'train minus forget',
  };
  return Object.entries(s).map(([split, examples]) => ({ split, examples, note: notes[split] ?? '' }));
}

/** Error rates of a stored original model, one row per split (from its stored features). */
export async function errorRows(e: StoreEntry<OriginalConfig, OriginalResult>): Promise<{ split: string; error: number }[]> {
  return Object.entries(splitErrorsOf(await modelFeatures(e, e.config.data, e.config.seed))).map(([split, error]) => ({ split, error }));
}
