// The paper's four claims (arXiv 2503.08633, SPEC "Figures") checked against tidy result rows: for each, the
// numbers (mean ± std over seeds, paired per seed where a difference is taken), a verdict under stated
// thresholds, and the figure that shows it. Feeds the README section "What the CPU-scale reproduction shows".
import type { ResultRow } from './rows';
import { meanStd, type MeanStd } from '../util/stats';
import { methods, type MethodName } from '../unlearn/registry';
import { labelOf } from '../plot/style';

/** The rows the claims are checked on: the privacy sweep (fig. 1/3), the bias sweep (fig. 2), the region scores (fig. 5). */
export interface FindingInputs { privacy: readonly ResultRow[]; bias: readonly ResultRow[]; regions: readonly ResultRow[] }

/** Thresholds of the verdicts (all on means over seeds). */
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

/** One claim with its verdict and the numbers behind it (markdown). */
export interface Finding { id: 'a' | 'b' | 'c' | 'd'; claim: string; figure: string; verdict: Verdict; evidence: string }

type Query = Partial<Pick<ResultRow, 'k' | 'method' | 'metric'>> & { lambda?: number | null };

/** Per-seed values of the rows matching q. */
function bySeed(rows: readonly ResultRow[], q: Query): Map<number, number> {
  const m = new Map<number, number>();
  for (const r of rows) {
    if ((q.k === undefined || r.k === q.k) && (q.method === undefined || r.method === q.method) &&
      (q.metric === undefined || r.metric === q.metric) && (q.lambda === undefined || r.lambda === q.lambda)) m.set(r.seed, r.value);
  }
  return m;
}

/** Mean ± std over seeds of f applied to the seeds present in every map. */
function paired(maps: Map<number, number>[], f: (...v: number[]) => number): MeanStd {
  const seeds = [...maps[0].keys()].filter((s) => maps.every((m) => m.has(s)));
  return meanStd(seeds.map((s) => f(...maps.map((m) => m.get(s)!))));
}

const fmt = (s: MeanStd, digits = 2) => (s.n ? `${s.mean.toFixed(digits)} ± ${s.std.toFixed(digits)}` : 'n/a');
const signed = (s: MeanStd, digits = 3) => (s.n ? `${s.mean >= 0 ? '+' : '−'}${Math.abs(s.mean).toFixed(digits)} ± ${s.std.toFixed(digits)}` : 'n/a');

/** Widths present, narrow to wide. */
function widthsOf(rows: readonly ResultRow[]): number[] {
  return [...new Set(rows.map((r) => r.k))].sort((a, b) => a - b);
}

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
  const base = { id: 'a' as const, claim: "the original model's MIA accuracy on the forget set grows with width", figure: 'Fig. 3 (fig3-mia.png)' };
  const ks = widthsOf(rows);
  const mia = ks.map((k) => meanStd([...bySeed(rows, { k, method: 'original', metric: 'mia' }).values()]));
  const ret = ks.map((k) => meanStd([...bySeed(rows, { k, method: 'retrain', metric: 'mia' }).values()]));
  if (ks.length < 2 || mia.some((s) => !s.n)) return { ...base, verdict: 'no data', evidence: 'needs the original models at two or more widths' };
  const lo = mia[0], hi = mia[mia.length - 1];
  const rise = hi.mean - lo.mean;
  const seeds = Math.min(lo.n, hi.n);
  const verdict: Verdict = rise > 0 && seeds > 1 && rise > lo.std + hi.std ? 'supported' : rise > 0 ? 'partly supported' : 'not supported';
  const spread = seeds < 2 ? ' (one seed: no spread to compare with)' : rise > lo.std + hi.std ? ', larger than the seed spread (sum of the two stds)' : ', within the seed spread';
  return {
    ...base, verdict,
    evidence: `original MIA ${ks.map((k, i) => `k=${k}: ${fmt(mia[i])}`).join(', ')} (retrained reference ${ks.map((k, i) => `k=${k}: ${fmt(ret[i])}`).join(', ')}); ` +
      `the rise from k=${ks[0]} to k=${ks[ks.length - 1]} is ${rise.toFixed(2)}${rise > 0 ? spread : ''}.`,
  };
}

/** (b) Tuned unlearning brings MIA near 0.5 at a modest test-error cost on wide models. */
function claimB(rows: readonly ResultRow[], lambda: number, o: Required<Omit<FindingOptions, 'lambda'>>): Finding {
  const base = { id: 'b' as const, claim: `tuned unlearning brings the MIA accuracy near 0.5 with a modest test-error cost on wide models (λ = ${lambda})`, figure: 'Fig. 3 and Fig. 1 (fig3-mia.png, fig1-privacy.png)' };
  const ks = widthsOf(rows);
  const { forget, retainOnly } = methodsOf(rows);
  const all = [...forget, ...retainOnly];
  if (!ks.length || !all.length) return { ...base, verdict: 'no data', evidence: 'needs tuned unlearning rows' };
  const at = (k: number) => all.map((m) => {
    const mia = meanStd([...bySeed(rows, { k, method: m, lambda, metric: 'mia' }).values()]);
    const cost = paired([bySeed(rows, { k, method: m, lambda, metric: 'testError' }), bySeed(rows, { k, method: 'original', metric: 'testError' })], (u, orig) => u - orig);
    const ok = mia.n > 0 && Math.abs(mia.mean - 0.5) <= o.nearChance && cost.mean <= o.modestCost;
    return { m, mia, cost, ok };
  });
  const wide = at(ks[ks.length - 1]), narrow = at(ks[0]);
  const okWide = wide.filter((r) => r.ok);
  const verdict: Verdict = okWide.length * 2 > wide.length ? 'supported' : okWide.length ? 'partly supported' : 'not supported';
  const list = (rs: typeof wide) => rs.map((r) => `${labelOf(r.m)} ${fmt(r.mia)} (test error ${signed(r.cost)})`).join('; ');
  const origWide = meanStd([...bySeed(rows, { k: ks[ks.length - 1], method: 'original', metric: 'mia' }).values()]);
  return {
    ...base, verdict,
    evidence: `at k=${ks[ks.length - 1]} (original MIA ${fmt(origWide)}), ${okWide.length} of ${wide.length} methods reach |MIA − 0.5| ≤ ${o.nearChance} with a test-error cost ≤ ${o.modestCost}` +
      `${okWide.length ? ` (${okWide.map((r) => labelOf(r.m)).join(', ')})` : ''}. MIA (cost over the original, paired by seed): ${list(wide)}. At k=${ks[0]}: ${list(narrow)}.`,
  };
}

/** (c) On wide models bias removal works only for methods that use the forget set. */
function claimC(rows: readonly ResultRow[], lambda: number, o: Required<Omit<FindingOptions, 'lambda'>>): Finding {
  const base = { id: 'c' as const, claim: `on wide models bias removal works only for methods that use the forget set (λ = ${lambda})`, figure: 'Fig. 2 (fig2-bias.png)' };
  const ks = widthsOf(rows);
  const { forget, retainOnly } = methodsOf(rows);
  if (!ks.length || !forget.length || !retainOnly.length) return { ...base, verdict: 'no data', evidence: 'needs bias-sweep rows of methods with and without the forget set' };
  /** Share of the original→retrain gap in forget error (vs the biased labels) that a method closes, per seed. */
  const share = (k: number, m: MethodName) => paired(
    [bySeed(rows, { k, method: m, lambda, metric: 'forgetError' }), bySeed(rows, { k, method: 'original', metric: 'forgetError' }), bySeed(rows, { k, method: 'retrain', metric: 'forgetError' })],
    (u, orig, ret) => (ret - orig > 1e-9 ? (u - orig) / (ret - orig) : NaN),
  );
  const kw = ks[ks.length - 1];
  const works = (m: MethodName, k: number) => share(k, m).mean >= o.biasShare;
  const fOk = forget.filter((m) => works(m, kw)), rOk = retainOnly.filter((m) => works(m, kw));
  const verdict: Verdict = fOk.length === forget.length && rOk.length === 0 ? 'supported'
    : fOk.length > 0 && fOk.length / forget.length > rOk.length / retainOnly.length ? 'partly supported' : 'not supported';
  const errs = (k: number) => ['original', 'retrain'].map((m) => `${labelOf(m)} ${fmt(meanStd([...bySeed(rows, { k, method: m, metric: 'forgetError' }).values()]))}`).join(', ');
  const list = (ms: MethodName[], k: number) => ms.map((m) => `${labelOf(m)} ${fmt(share(k, m))}`).join('; ');
  return {
    ...base, verdict,
    evidence: `share of the original→retrain gap in forget error (biased labels) closed, paired by seed; ≥ ${o.biasShare} counts as working. ` +
      `At k=${kw} (forget error: ${errs(kw)}): with the forget set ${list(forget, kw)}; retain only ${list(retainOnly, kw)}. ` +
      `At k=${ks[0]} (forget error: ${errs(ks[0])}): with the forget set ${list(forget, ks[0])}; retain only ${list(retainOnly, ks[0])}.`,
  };
}

/** (d) On wide models unlearning changes the decision regions near the forget example and keeps them elsewhere. */
function claimD(rows: readonly ResultRow[], lambda: number, o: Required<Omit<FindingOptions, 'lambda'>>): Finding {
  const base = { id: 'd' as const, claim: `on wide models unlearning changes the decision regions near the forget example and keeps them elsewhere (λ = ${lambda})`, figure: 'Fig. 5 and Fig. 4 (fig5-regions.png, fig4-decision-regions.png)' };
  const ks = widthsOf(rows);
  const { forget, retainOnly } = methodsOf(rows);
  const all = [...forget, ...retainOnly];
  if (!ks.length || !all.length) return { ...base, verdict: 'no data', evidence: 'needs region-score rows' };
  const score = (k: number, m: string, metric: string) => meanStd([...bySeed(rows, { k, method: m, lambda: m === 'retrain' ? null : lambda, metric }).values()]);
  /** Change near the forget image minus change elsewhere (1 − similarity), per seed: > 0 means localised. */
  const local = (k: number, m: string) => paired(
    [bySeed(rows, { k, method: m, lambda: m === 'retrain' ? null : lambda, metric: 'change' }), bySeed(rows, { k, method: m, lambda: m === 'retrain' ? null : lambda, metric: 'similarity' })],
    (ch, sim) => ch - (1 - sim),
  );
  const at = (k: number) => all.map((m) => ({ m, sim: score(k, m, 'similarity'), ch: score(k, m, 'change'), loc: local(k, m) }));
  const kw = ks[ks.length - 1];
  const wide = at(kw), narrow = at(ks[0]);
  const ok = wide.filter((r) => r.sim.mean >= o.keptSimilarity && r.loc.mean > 0);
  const verdict: Verdict = ok.length * 2 > wide.length ? 'supported' : ok.length ? 'partly supported' : 'not supported';
  const list = (rs: typeof wide) => rs.map((r) => `${labelOf(r.m)} ${fmt(r.sim)} / ${fmt(r.ch)}`).join('; ');
  const localised = (rs: typeof wide) => rs.filter((r) => r.loc.mean > 0).length;
  const meanLoc = (rs: typeof wide) => fmt(meanStd(rs.map((r) => r.loc.mean)));
  const ret = (k: number) => `${fmt(score(k, 'retrain', 'similarity'))} / ${fmt(score(k, 'retrain', 'change'))}`;
  return {
    ...base, verdict,
    evidence: `similarity away from the forget image / change near it, against the original: at k=${kw} ${list(wide)} (retrain ${ret(kw)}); ` +
      `at k=${ks[0]} ${list(narrow)} (retrain ${ret(ks[0])}). ${ok.length} of ${wide.length} methods at k=${kw} keep ≥ ${o.keptSimilarity} of the regions elsewhere and change more near the forget image than elsewhere. ` +
      `Change near the forget image minus change elsewhere (> 0: localised) is positive for ${localised(wide)} of ${wide.length} methods at k=${kw} (mean ${meanLoc(wide)}) and ${localised(narrow)} of ${narrow.length} at k=${ks[0]} (mean ${meanLoc(narrow)}).`,
  };
}

/**
 * The four claims checked on the rows.
 * @example
 * const f = findings({ privacy: readFigureRows('cpu', 'fig1-privacy'), bias: readFigureRows('cpu', 'fig2-bias'), regions: readFigureRows('cpu', 'fig5-regions') });
 */
export function findings(inputs: FindingInputs, options: FindingOptions = {}): Finding[] {
  const o = { nearChance: 0.05, modestCost: 0.05, biasShare: 0.5, keptSimilarity: 0.8, ...options };
  const lambda = options.lambda ?? middleLambda(inputs.privacy) ?? 0.4;
  return [claimA(inputs.privacy), claimB(inputs.privacy, lambda, o), claimC(inputs.bias, lambda, o), claimD(inputs.regions, lambda, o)];
}

/**
 * One table row per claim (claim, verdict, figure), for a notebook summary.
 * @example
 * showTable(findingsTable(findings(inputs)));
 */
export function findingsTable(fs: readonly Finding[]): { claim: string; verdict: Verdict; figure: string }[] {
  return fs.map((f) => ({ claim: `(${f.id}) ${f.claim}`, verdict: f.verdict, figure: f.figure }));
}

/**
 * The findings as a markdown list (one item per claim: verdict, claim, evidence, figure).
 * @example
 * console.log(findingsMarkdown(findings(inputs)));
 */
export function findingsMarkdown(fs: readonly Finding[]): string {
  return fs.map((f) => `- **(${f.id}) ${f.verdict}:** ${f.claim}. ${f.evidence} See ${f.figure}.`).join('\n');
}
