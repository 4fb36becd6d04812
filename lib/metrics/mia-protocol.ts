// The MIA as a figure reports it: a named protocol (the paper's reading of appendix B.1, or the first author's
// code's) averaged over many seeded draws of the balancing non-member subsample, with a 95% interval — one
// draw of 50 non-members moves the accuracy by ±0.03–0.06 at cpu scale.
import { miaAccuracy } from './mia';
import { hashString } from '../util/rng';
import { meanOf, type ModelFeatures } from './features';

/** How the attack is run (every field is explicit so a written result records it). */
export interface MiaProtocol {
  /** 'kfold': unshuffled StratifiedKFold; 'shuffle-split': seeded StratifiedShuffleSplit (lib/metrics/mia.ts). */
  cv: 'kfold' | 'shuffle-split';
  /** Folds or shuffle splits. */
  folds: number;
  /** Test share of each shuffle split (unused by 'kfold'). */
  testShare: number;
  /** Non-members: every test example, or only those of the classes present in the forget set (first author's code). */
  nonmembers: 'test' | 'test-forget-classes';
  /** Clip losses to ±clip (first author's code: 100); null: a non-finite loss is an error. */
  clip: number | null;
  /** Seeded draws of the non-member subsample (each with its own CV seed); the figure value is their mean. */
  draws: number;
}

/** The protocols the references run, by name. */
export const miaProtocols = {
  /** SPEC's reading of appendix B.1: 5-fold stratified CV, non-members = test examples; one draw. */
  paper: { cv: 'kfold', folds: 5, testShare: 0.1, nonmembers: 'test', clip: null, draws: 1 },
  /** GalAlon9's SCRUB-derived `train_MI.py` / SCRUB's `MIA_experiments`: 5 shuffle splits 90/10, forget classes only, clipped. */
  firstAuthor: { cv: 'shuffle-split', folds: 5, testShare: 0.1, nonmembers: 'test-forget-classes', clip: 100, draws: 1 },
} satisfies Record<string, MiaProtocol>;

/** What the figures use unless a config says otherwise: the paper's protocol averaged over 20 draws. */
export const defaultMiaProtocol: MiaProtocol = { ...miaProtocols.paper, draws: 20 };

/** The attack over draws: mean accuracy, its 95% interval (mean ± 1.96 s/√draws; none for one draw) and each draw's value. */
export interface MiaSummary {
  value: number;
  interval?: [number, number];
  draws: number[];
  nMembers: number;
  nNonmembers: number;
}

/** Seed of draw `d` (draw 0 is the experiment seed itself, so one draw reproduces the single-draw protocol). */
export const drawSeed = (seed: number, d: number) => (d === 0 ? seed : hashString(`mia-draw/${seed}/${d}`));

/**
 * The MIA of a model's stored features under `protocol` (pure): members = forget losses (training labels),
 * non-members = test losses (optionally of the forget set's classes only).
 * @example
 * miaOfFeatures(features, { ...miaProtocols.firstAuthor, draws: 50 }, 0).value; // 0.5 = chance
 */
export function miaOfFeatures(f: ModelFeatures, protocol: MiaProtocol, seed: number): MiaSummary {
  const members = f.forget.loss;
  let non: ArrayLike<number> = f.test.loss;
  if (protocol.nonmembers === 'test-forget-classes') {
    const classes = new Set(f.forget.labels);
    non = f.test.loss.filter((_, i) => classes.has(f.test.labels[i]));
  }
  if (!(Number.isInteger(protocol.draws) && protocol.draws >= 1))
    throw new RangeError(`MIA protocol: draws must be an integer ≥ 1, got ${protocol.draws}`);
  const options = { folds: protocol.folds, cv: protocol.cv, testShare: protocol.testShare, clip: protocol.clip ?? undefined };
  const draws: number[] = [];
  let nMembers = 0;
  for (let d = 0; d < protocol.draws; d++) {
    const r = miaAccuracy(members, non, { ...options, seed: drawSeed(seed, d) });
    draws.push(r.accuracy);
    nMembers = r.nMembers;
  }
  const value = meanOf(draws);
  if (draws.length < 2) return { value, draws, nMembers, nNonmembers: nMembers };
  const sd = Math.sqrt(draws.reduce((s, v) => s + (v - value) ** 2, 0) / (draws.length - 1));
  const half = (1.96 * sd) / Math.sqrt(draws.length);
  return { value, interval: [value - half, value + half], draws, nMembers, nNonmembers: nMembers };
}
