// The paper's four claims (arXiv 2503.08633, SPEC "Figures") checked against tidy result rows: for each, the numbers as
// mean [95% Student-t interval over seeds] (paired by seed where a difference is taken; MIA values also with their own
// interval over the non-member draws), the retrain oracle's numbers beside them, a verdict under stated thresholds on
// the means, whether the intervals clear those thresholds, and the figure that shows it. Feeds the README section
// "What the CPU-scale reproduction shows".
import type { ResultRow } from './rows';
import { meanCI, meanStd, type MeanCI } from '../util/stats';
import { methods, type MethodName } from '../unlearn/registry';
import { labelOf } from '../plot/style';
import { retune } from './retune';

/** The rows the claims are checked on: the privacy selections with their MIA (fig. 3's table), the bias sweep (fig. 2), the region scores (fig. 5). */
export interface FindingInputs {
  privacy: readonly ResultRow[];
  bias: readonly ResultRow[];
  regions: readonly ResultRow[];
  /** Every grid point of the bias goal (sweep-bias), with the original's peak learning rate: claim (c) is also re-tuned without lr ≥ peakLr. */
  biasSweep?: readonly ResultRow[];
  peakLr?: number;
}

/** Thresholds of the verdicts (all on means over seeds; the same thresholds are then checked on the 95% intervals). */
export interface FindingOptions {
  /** The tuning λ whose models are reported (default: the middle λ present in the rows). */
  lambda?: number;
  /** "Near chance": |MIA − 0.5| at most this (default 0.05). */
  nearChance?: number;
  /** "Modest" test-error cost of unlearning over the original, absolute (default 0.05). */
  modestCost?: number;
  /** Bias removal "works" when the method closes at least this share of the original→retrain forget-error gap (default 0.5). */
  biasShare?: number;
  /** Regions "kept elsewhere": similarity away from the forget image at least this (default 0.8). */
  keptSimilarity?: number;
}

export type Verdict = 'supported' | 'partly supported' | 'not supported' | 'no data';

/** Whether the 95% intervals clear the thresholds of the checks behind a verdict: all ('yes'), some ('partly'), none ('no'). */
export type IntervalCheck = 'yes' | 'partly' | 'no' | 'n/a';

/** One claim with its verdict and the numbers behind it (markdown). */
export interface Finding {
  id: 'a' | 'b' | 'c' | 'd';
  claim: string;
  figure: string;
  /** Decided on the means over seeds (thresholds of FindingOptions). */
  verdict: Verdict;
  evidence: string;
  /** Whether each check behind the verdict (a method at the widest width, or the rise in (a)) is decided by its 95% interval; 'n/a' without data. */
  intervals: IntervalCheck;
  /** intervals === 'yes': no check's interval reaches across its threshold, so the verdict does not hang on where a mean fell. */
  robust: boolean;
}

/**
 * A quantity over seeds: mean with its 95% t-interval over seeds (df = n − 1) and, for MIA quantities whose rows carry
 * `lo`/`hi`, the draws' own interval. Each MIA row's lo/hi is the 95% interval of its mean over the protocol's
 * non-member draws (half-width h, lib/metrics/mia-protocol.ts); a quantity of several MIA values of one seed (a
 * difference) has per-seed half √Σh² (independent draws), and the mean over n seeds √(Σ_seeds h²)/n. The text reports
 * both, "0.62 [0.58, 0.66] (draws ±0.03)" = seed interval, then the mean per-seed draw half-width. The threshold
 * checks use the seed interval (whose spread already holds each seed's draw noise), widened to the draws'
 * interval of the mean when that is wider — so three seeds that happen to agree cannot hide the draw noise.
 */
interface Estimate extends MeanCI {
  draw?: { perSeed: number; ofMean: number };
}

type Query = Partial<Pick<ResultRow, 'k' | 'method' | 'metric'>> & { lambda?: number | null };

/** The row of each seed matching q. */
function bySeed(rows: readonly ResultRow[], q: Query): Map<number, ResultRow> {
  const m = new Map<number, ResultRow>();
  for (const r of rows) {
    if (
      (q.k === undefined || r.k === q.k) &&
      (q.method === undefined || r.method === q.method) &&
      (q.metric === undefined || r.metric === q.metric) &&
      (q.lambda === undefined || r.lambda === q.lambda)
    )
      m.set(r.seed, r);
  }
  return m;
}

const commonSeeds = (maps: Map<number, ResultRow>[]) => [...maps[0].keys()].filter((s) => maps.every((m) => m.has(s)));

/** Mean [95% interval] over seeds of f applied to the values of the seeds present in every map (paired by seed). */
function paired(maps: Map<number, ResultRow>[], f: (...v: number[]) => number): Estimate {
  return meanCI(commonSeeds(maps).map((s) => f(...maps.map((m) => m.get(s)!.value))));
}

/** The 95% half-width of a row's own interval (the MIA over its draws), NaN when the row has none. */
const drawHalf = (r: ResultRow) =>
  r.lo != null && r.hi != null && Number.isFinite(r.lo) && Number.isFinite(r.hi) ? (r.hi - r.lo) / 2 : NaN;

/** `paired` for a sum or difference of MIA values, with the draws' intervals combined in quadrature (see Estimate). */
function pairedMia(maps: Map<number, ResultRow>[], f: (...v: number[]) => number): Estimate {
  const e = paired(maps, f);
  const halves = commonSeeds(maps).map((s) => Math.hypot(...maps.map((m) => drawHalf(m.get(s)!))));
  if (!halves.length || halves.some((h) => !Number.isFinite(h))) return e;
  return { ...e, draw: { perSeed: meanStd(halves).mean, ofMean: Math.hypot(...halves) / halves.length } };
}

/** x to `digits` with a typographic minus ("−0.02"), and a plus too when `sign`. */
const num = (x: number, digits: number, sign: boolean) => `${x < 0 ? '−' : sign ? '+' : ''}${Math.abs(x).toFixed(digits)}`;

/** "mean [lo, hi]" (one seed: "mean (1 seed)"), then " (draws ±h)" for an MIA quantity with draw intervals. */
function fmt(e: Estimate, digits = 2, sign = false): string {
  if (!e.n) return 'n/a';
  const ci = e.n > 1 ? ` [${num(e.lo, digits, sign)}, ${num(e.hi, digits, sign)}]` : ' (1 seed)';
  return `${num(e.mean, digits, sign)}${ci}${e.draw ? ` (draws ±${e.draw.perSeed.toFixed(digits)})` : ''}`;
}
const signed = (e: Estimate, digits = 3) => fmt(e, digits, true);

/** How a threshold check comes out on the interval: wholly on the passing side, wholly on the failing side, or across it. */
type Side = 'pass' | 'fail' | 'open';

/** The interval a check uses (see Estimate); NaN bounds (one seed) leave every check open. */
function bounds(e: Estimate): [number, number] {
  const h = Math.max(e.half, e.draw?.ofMean ?? 0);
  return [e.mean - h, e.mean + h];
}
const atMost = (e: Estimate, t: number): Side => {
  const [lo, hi] = bounds(e);
  return hi <= t ? 'pass' : lo > t ? 'fail' : 'open';
};
const atLeast = (e: Estimate, t: number): Side => {
  const [lo, hi] = bounds(e);
  return lo >= t ? 'pass' : hi < t ? 'fail' : 'open';
};
const above = (e: Estimate, t: number): Side => {
  const [lo, hi] = bounds(e);
  return lo > t ? 'pass' : hi <= t ? 'fail' : 'open';
};
/** Both checks: fails when either interval fails, passes when both pass. */
const both = (a: Side, b: Side): Side => (a === 'fail' || b === 'fail' ? 'fail' : a === 'pass' && b === 'pass' ? 'pass' : 'open');

/** The finding's interval verdict and its sentence from its checks (label = what is checked, e.g. a method). */
function intervalsOf(checks: { label: string; side: Side }[], rule: string): { intervals: IntervalCheck; robust: boolean; note: string } {
  const open = checks.filter((c) => c.side === 'open').map((c) => c.label);
  const intervals: IntervalCheck = !checks.length ? 'n/a' : !open.length ? 'yes' : open.length === checks.length ? 'no' : 'partly';
  return {
    intervals,
    robust: intervals === 'yes',
    note: `95% intervals clear the thresholds (${rule}): ${intervals}${open.length ? ` (not for ${open.join(', ')}: interval across a threshold)` : ''}.`,
  };
}

const noData = (evidence: string) => ({ verdict: 'no data' as const, evidence, intervals: 'n/a' as const, robust: false });

/** Widths present, narrow to wide. */
function widthsOf(rows: readonly ResultRow[]): number[] {
  return [...new Set(rows.map((r) => r.k))].sort((a, b) => a - b);
}

/** "Mean [95% t-interval over n seeds]" — the legend that opens each evidence text. */
function legend(rows: readonly ResultRow[]): string {
  const n = new Set(rows.map((r) => r.seed)).size;
  return n === 1 ? 'Mean of 1 seed (no interval)' : `Mean [95% t-interval over ${n} seeds]`;
}
/** Says how the MIA's own interval over its draws is shown, or that the rows carry none (tables written before it). */
const draws = (rows: readonly ResultRow[]) =>
  rows.some((r) => r.metric === 'mia' && Number.isFinite(drawHalf(r)))
    ? "(draws ±h) = the MIA's own 95% half-width over its non-member draws, mean over seeds"
    : 'the MIA rows carry no interval over their non-member draws';

/** Unlearning methods present (not the references), split by whether they use the forget set. */
function methodsOf(rows: readonly ResultRow[]): { forget: MethodName[]; retainOnly: MethodName[] } {
  const present = new Set(rows.map((r) => r.method));
  const names = (Object.keys(methods) as MethodName[]).filter((m) => m !== 'retrain' && present.has(m));
  return { forget: names.filter((m) => methods[m].usesForget), retainOnly: names.filter((m) => !methods[m].usesForget) };
}

function middleLambda(rows: readonly ResultRow[]): number | undefined {
  const ls = [...new Set(rows.map((r) => r.lambda).filter((l): l is number => l !== null))].sort((a, b) => a - b);
  return ls[Math.floor((ls.length - 1) / 2)];
}

/** (a) The original model's MIA accuracy grows with width. */
function claimA(rows: readonly ResultRow[]): Finding {
  const base = {
    id: 'a' as const,
    claim: "the original model's MIA accuracy on the forget set grows with width",
    figure: 'Fig. 3 (fig3-mia.png)',
  };
  const ks = widthsOf(rows);
  const q = (k: number, m: string) => bySeed(rows, { k, method: m, metric: 'mia' });
  const mia = ks.map((k) => pairedMia([q(k, 'original')], (v) => v));
  const ret = ks.map((k) => pairedMia([q(k, 'retrain')], (v) => v));
  if (ks.length < 2 || mia.some((s) => !s.n)) return { ...base, ...noData('needs the original models at two or more widths') };
  const [k0, kw] = [ks[0], ks[ks.length - 1]];
  const lo = mia[0],
    hi = mia[mia.length - 1];
  /** Widest minus narrowest, paired by seed (the difference of the means when both widths have the same seeds). */
  const rise = pairedMia([q(kw, 'original'), q(k0, 'original')], (w, n) => w - n);
  const seeds = Math.min(lo.n, hi.n);
  const r = rise.mean;
  const verdict: Verdict = r > 0 && seeds > 1 && r > lo.std + hi.std ? 'supported' : r > 0 ? 'partly supported' : 'not supported';
  const spread =
    seeds < 2
      ? ' (one seed: no spread to compare with)'
      : r > lo.std + hi.std
        ? ', larger than the seed spread (sum of the two stds)'
        : ', within the seed spread';
  const check = intervalsOf([{ label: 'the rise', side: above(rise, 0) }], 'the rise above or below 0');
  const list = (es: Estimate[]) => ks.map((k, i) => `k=${k}: ${fmt(es[i])}`).join(', ');
  return {
    ...base,
    verdict,
    intervals: check.intervals,
    robust: check.robust,
    evidence:
      `${legend(rows)}; ${draws(rows)}. Original MIA ${list(mia)} (retrain oracle ${list(ret)}); ` +
      `the rise from k=${k0} to k=${kw}, paired by seed, is ${signed(rise, 2)}${r > 0 ? spread : ''}. ${check.note}`,
  };
}

/** (b) Tuned unlearning brings MIA near 0.5 at a modest test-error cost on wide models. */
function claimB(rows: readonly ResultRow[], lambda: number, o: Required<Omit<FindingOptions, 'lambda'>>): Finding {
  const base = {
    id: 'b' as const,
    claim: `tuned unlearning brings the MIA accuracy near 0.5 with a modest test-error cost on wide models (λ = ${lambda})`,
    figure: 'Fig. 3 and Fig. 1 (fig3-mia.png, fig1-privacy.png)',
  };
  const ks = widthsOf(rows);
  const { forget, retainOnly } = methodsOf(rows);
  const all = [...forget, ...retainOnly];
  if (!ks.length || !all.length) return { ...base, ...noData('needs tuned unlearning rows') };
  const lam = (m: string) => (m === 'original' || m === 'retrain' ? undefined : lambda);
  const mia = (k: number, m: string) => pairedMia([bySeed(rows, { k, method: m, lambda: lam(m), metric: 'mia' })], (v) => v);
  /** Test error of m minus the original's, paired by seed. */
  const cost = (k: number, m: string) =>
    paired(
      [bySeed(rows, { k, method: m, lambda: lam(m), metric: 'testError' }), bySeed(rows, { k, method: 'original', metric: 'testError' })],
      (u, orig) => u - orig,
    );
  const at = (k: number) =>
    all.map((m) => {
      const r = { m, mia: mia(k, m), cost: cost(k, m) };
      const ok = r.mia.n > 0 && Math.abs(r.mia.mean - 0.5) <= o.nearChance && r.cost.mean <= o.modestCost;
      return {
        ...r,
        ok,
        side: both(both(atLeast(r.mia, 0.5 - o.nearChance), atMost(r.mia, 0.5 + o.nearChance)), atMost(r.cost, o.modestCost)),
      };
    });
  const kw = ks[ks.length - 1];
  const wide = at(kw),
    narrow = at(ks[0]);
  const okWide = wide.filter((r) => r.ok);
  const verdict: Verdict = okWide.length * 2 > wide.length ? 'supported' : okWide.length ? 'partly supported' : 'not supported';
  const list = (rs: typeof wide) => rs.map((r) => `${labelOf(r.m)} ${fmt(r.mia)} (test error ${signed(r.cost)})`).join('; ');
  const check = intervalsOf(
    wide.map((r) => ({ label: labelOf(r.m), side: r.side })),
    `MIA inside or outside [${+(0.5 - o.nearChance).toFixed(6)}, ${+(0.5 + o.nearChance).toFixed(6)}], cost below or above ${o.modestCost}`,
  );
  return {
    ...base,
    verdict,
    intervals: check.intervals,
    robust: check.robust,
    evidence:
      `${legend(rows)}; ${draws(rows)}. At k=${kw} (original MIA ${fmt(mia(kw, 'original'))}; retrain oracle MIA ${fmt(mia(kw, 'retrain'))}, test error ${signed(cost(kw, 'retrain'))} over the original), ` +
      `${okWide.length} of ${wide.length} methods reach |MIA − 0.5| ≤ ${o.nearChance} with a test-error cost ≤ ${o.modestCost} on the means` +
      `${okWide.length ? ` (${okWide.map((r) => labelOf(r.m)).join(', ')})` : ''}. MIA (test-error cost over the original, paired by seed): ${list(wide)}. At k=${ks[0]}: ${list(narrow)}. ${check.note}`,
  };
}

/** Claim (c)'s shares and verdict on one set of tuned bias rows. */
function biasShares(rows: readonly ResultRow[], lambda: number, o: Required<Omit<FindingOptions, 'lambda'>>) {
  const ks = widthsOf(rows);
  const { forget, retainOnly } = methodsOf(rows);
  const fe = (k: number, m: string, l?: number) => bySeed(rows, { k, method: m, lambda: l, metric: 'forgetError' });
  /** Share of the original→retrain gap in forget error (vs the biased labels) that a method closes, per seed. */
  const share = (k: number, m: MethodName) =>
    paired([fe(k, m, lambda), fe(k, 'original'), fe(k, 'retrain')], (u, orig, ret) =>
      ret - orig > 1e-9 ? (u - orig) / (ret - orig) : NaN,
    );
  const kw = ks[ks.length - 1];
  const shares = new Map([...forget, ...retainOnly].map((m) => [m, share(kw, m)]));
  const works = (m: MethodName) => shares.get(m)!.mean >= o.biasShare;
  const fOk = forget.filter(works),
    rOk = retainOnly.filter(works);
  const verdict: Verdict =
    fOk.length === forget.length && rOk.length === 0
      ? 'supported'
      : fOk.length > 0 && fOk.length / forget.length > rOk.length / retainOnly.length
        ? 'partly supported'
        : 'not supported';
  const list = (ms: MethodName[], k: number) => ms.map((m) => `${labelOf(m)} ${fmt(share(k, m))}`).join('; ');
  const at = (k: number) => `with the forget set ${list(forget, k)}; retain only ${list(retainOnly, k)}`;
  return { ks, kw, forget, retainOnly, shares, verdict, fe, at };
}

/** (c) On wide models bias removal works only for methods that use the forget set. */
function claimC(
  rows: readonly ResultRow[],
  lambda: number,
  o: Required<Omit<FindingOptions, 'lambda'>>,
  sweep?: { rows: readonly ResultRow[]; peakLr: number },
): Finding {
  const base = {
    id: 'c' as const,
    claim: `on wide models bias removal works only for methods that use the forget set (λ = ${lambda})`,
    figure: 'Fig. 2 (fig2-bias.png)',
  };
  const { forget, retainOnly } = methodsOf(rows);
  if (!widthsOf(rows).length || !forget.length || !retainOnly.length)
    return { ...base, ...noData('needs bias-sweep rows of methods with and without the forget set') };
  const { ks, kw, shares, verdict, fe, at } = biasShares(rows, lambda, o);
  const refs = (k: number) =>
    `forget error: original ${fmt(paired([fe(k, 'original')], (v) => v))}, retrain oracle ${fmt(paired([fe(k, 'retrain')], (v) => v))}; ` +
    `original→retrain gap ${signed(
      paired([fe(k, 'retrain'), fe(k, 'original')], (r, orig) => r - orig),
      2,
    )}`;
  const check = intervalsOf(
    [...shares].map(([m, e]) => ({ label: labelOf(m), side: atLeast(e, o.biasShare) })),
    `share above or below ${o.biasShare}`,
  );
  return {
    ...base,
    verdict,
    intervals: check.intervals,
    robust: check.robust,
    evidence:
      `${legend(rows)}, paired by seed. Share of the original→retrain gap in forget error (biased labels) closed; ≥ ${o.biasShare} counts as working. ` +
      `At k=${kw} (${refs(kw)}): ${at(kw)}. At k=${ks[0]} (${refs(ks[0])}): ${at(ks[0])}. ${check.note}` +
      (sweep ? ` ${withoutPeak(sweep, lambda, o, kw)}` : ''),
  };
}

/**
 * Claim (c) re-tuned on validation from the bias sweep table without the grid points at or above the original's peak
 * learning rate (issue 15: with such a rate, a few retain-only epochs retrain the model and overwrite the biased labels).
 */
function withoutPeak(
  sweep: { rows: readonly ResultRow[]; peakLr: number },
  lambda: number,
  o: Required<Omit<FindingOptions, 'lambda'>>,
  kw: number,
) {
  const rows = retune(sweep.rows, { lambdas: [lambda], keep: (hp) => !(Number(hp.lr) >= sweep.peakLr) });
  if (!methodsOf(rows).retainOnly.length || !widthsOf(rows).includes(kw))
    return `Without the grid points at the original's peak learning rate (lr ≥ ${sweep.peakLr}): no data.`;
  const r = biasShares(rows, lambda, o);
  return `Without the grid points at the original's peak learning rate (lr ≥ ${sweep.peakLr}), re-tuned on validation from the sweep table: ${r.verdict}; at k=${kw} ${r.at(kw)}.`;
}

/** (d) On wide models unlearning changes the decision regions near the forget example and keeps them elsewhere. */
function claimD(rows: readonly ResultRow[], lambda: number, o: Required<Omit<FindingOptions, 'lambda'>>): Finding {
  const base = {
    id: 'd' as const,
    claim: `on wide models unlearning changes the decision regions near the forget example and keeps them elsewhere (λ = ${lambda})`,
    figure: 'Fig. 5 and Fig. 4 (fig5-regions.png, fig4-decision-regions.png)',
  };
  const ks = widthsOf(rows);
  const { forget, retainOnly } = methodsOf(rows);
  const all = [...forget, ...retainOnly];
  if (!ks.length || !all.length) return { ...base, ...noData('needs region-score rows') };
  const q = (k: number, m: string, metric: string) => bySeed(rows, { k, method: m, lambda: m === 'retrain' ? null : lambda, metric });
  /** Similarity elsewhere, change near the forget image, and their localisation change − (1 − similarity) per seed (> 0: localised). */
  const scores = (k: number, m: string) => ({
    m,
    sim: paired([q(k, m, 'similarity')], (v) => v),
    ch: paired([q(k, m, 'change')], (v) => v),
    loc: paired([q(k, m, 'change'), q(k, m, 'similarity')], (ch, sim) => ch - (1 - sim)),
  });
  const at = (k: number) =>
    all
      .map((m) => scores(k, m))
      .map((r) => ({
        ...r,
        ok: r.sim.mean >= o.keptSimilarity && r.loc.mean > 0,
        side: both(atLeast(r.sim, o.keptSimilarity), above(r.loc, 0)),
      }));
  const kw = ks[ks.length - 1];
  const wide = at(kw),
    narrow = at(ks[0]);
  const ok = wide.filter((r) => r.ok);
  const verdict: Verdict = ok.length * 2 > wide.length ? 'supported' : ok.length ? 'partly supported' : 'not supported';
  const one = (r: ReturnType<typeof scores>) => `${fmt(r.sim)} / ${fmt(r.ch)} / ${signed(r.loc, 2)}`;
  const list = (rs: typeof wide) => rs.map((r) => `${labelOf(r.m)} ${one(r)}`).join('; ');
  const localised = (rs: typeof wide) => rs.filter((r) => r.loc.mean > 0).length;
  const check = intervalsOf(
    wide.map((r) => ({ label: labelOf(r.m), side: r.side })),
    `similarity above or below ${o.keptSimilarity}, localisation above or below 0`,
  );
  return {
    ...base,
    verdict,
    intervals: check.intervals,
    robust: check.robust,
    evidence:
      `${legend(rows)}, paired by seed. Similarity away from the forget image / change near it / localisation (change near − change elsewhere = change − (1 − similarity); > 0: localised), against the original: ` +
      `at k=${kw} ${list(wide)} (retrain oracle ${one(scores(kw, 'retrain'))}); at k=${ks[0]} ${list(narrow)} (retrain oracle ${one(scores(ks[0], 'retrain'))}). ` +
      `${ok.length} of ${wide.length} methods at k=${kw} keep ≥ ${o.keptSimilarity} of the regions elsewhere and change more near the forget image than elsewhere. ` +
      `Localised on the mean for ${localised(wide)} of ${wide.length} methods at k=${kw} and ${localised(narrow)} of ${narrow.length} at k=${ks[0]}. ${check.note}`,
  };
}

/**
 * The four claims checked on the rows: verdicts on the means (thresholds of FindingOptions), plus whether the 95%
 * intervals clear the same thresholds (`intervals`, `robust`).
 * @example
 * const f = findings(readFindingInputs('cpu')); // fig3-mia (privacy, with the MIA), fig2-bias, fig5-regions
 */
export function findings(inputs: FindingInputs, options: FindingOptions = {}): Finding[] {
  const o = { nearChance: 0.05, modestCost: 0.05, biasShare: 0.5, keptSimilarity: 0.8, ...options };
  const lambda = options.lambda ?? middleLambda(inputs.privacy) ?? 0.4;
  const sweep = inputs.biasSweep && inputs.peakLr !== undefined ? { rows: inputs.biasSweep, peakLr: inputs.peakLr } : undefined;
  return [
    claimA(inputs.privacy),
    claimB(inputs.privacy, lambda, o),
    claimC(inputs.bias, lambda, o, sweep),
    claimD(inputs.regions, lambda, o),
  ];
}

/** A row of findingsTable (a type alias, not an interface: showTable's rows are Record<string, unknown>, which an interface is not assignable to). */
export type FindingTableRow = {
  claim: string;
  verdict: Verdict;
  'intervals clear the thresholds': IntervalCheck;
  figure: string;
};

/**
 * One table row per claim (claim, verdict on the means, whether the 95% intervals clear the thresholds, figure), for a notebook summary.
 * @example
 * showTable(findingsTable(findings(inputs)));
 */
export function findingsTable(fs: readonly Finding[]): FindingTableRow[] {
  return fs.map((f) => ({
    claim: `(${f.id}) ${f.claim}`,
    verdict: f.verdict,
    'intervals clear the thresholds': f.intervals,
    figure: f.figure,
  }));
}

/**
 * The findings as a markdown list (one item per claim: verdict, claim, evidence, figure).
 * @example
 * console.log(findingsMarkdown(findings(inputs)));
 */
export function findingsMarkdown(fs: readonly Finding[]): string {
  return fs.map((f) => `- **(${f.id}) ${f.verdict}:** ${f.claim}. ${f.evidence} See ${f.figure}.`).join('\n');
}

/**
 * Two runs' findings claim by claim (this run first, the other "beside" it), as markdown: for each claim its
 * verdict and interval check in both, then both evidence texts — the README's "new numbers, old numbers beside".
 * @example
 * console.log(findingsBesideMarkdown(findings(now), findings(before), { now: '10,000 images', beside: '2,500 images' }));
 */
export function findingsBesideMarkdown(
  now: readonly Finding[],
  beside: readonly Finding[],
  labels: { now: string; beside: string },
): string {
  return now
    .map((f) => {
      const b = beside.find((x) => x.id === f.id);
      const line = (label: string, x: Finding | undefined) =>
        x
          ? `  - ${label}: **${x.verdict}** (intervals clear the thresholds: ${x.intervals}). ${x.evidence}`
          : `  - ${label}: no such claim`;
      return [`- **(${f.id})** ${f.claim}. See ${f.figure}.`, line(labels.now, f), line(labels.beside, b)].join('\n');
    })
    .join('\n');
}
