// The paper's figures as typed entries: which goal's sweep each reads and what it draws (SPEC "Figures"):
// the width figures (1, 2, 3, 5: panels of metrics vs width) and Fig. 4 (decision regions of example models).
// Figures 1, 3, 4 and 5 read the same privacy sweep, so running one after the other trains nothing new.
import type { UnlearningGoal } from '../data/splits';
import type { Panel } from '../plot/width-figure';
import type { MethodName } from '../unlearn/registry';

/** A width figure: a title, the goal of its sweep, and its panels. */
export interface WidthFigureSpec {
  kind: 'width';
  title: string;
  goal: UnlearningGoal;
  panels: Panel[];
  regions?: boolean;
}

/** Fig. 4: decision regions of the original, one tuned method and the retrained model, for a narrow and a wide width. */
export interface RegionExampleSpec {
  kind: 'region-example';
  title: string;
  goal: 'privacy';
  /** The defaults of notebook 04's config (the widths default to the profile's narrowest and widest). */
  example: { method: MethodName; lambda: number; seed: number; plane: number };
}

export const figures = {
  'fig1-privacy': {
    kind: 'width',
    title: 'Fig. 1 · Unlearning for privacy: test error and forget–validation gap vs width',
    goal: 'privacy',
    panels: [
      { metric: 'testError', title: 'test error', yTitle: 'error' },
      { metric: 'forgetGap', title: '|forget error − validation error|', yTitle: 'gap (lower: better privacy)' },
    ],
  },
  'fig2-bias': {
    kind: 'width',
    title: 'Fig. 2 · Unlearning for bias removal: test error and forget error (biased labels) vs width',
    goal: 'bias',
    panels: [
      { metric: 'testError', title: 'test error', yTitle: 'error' },
      { metric: 'forgetError', title: 'forget error vs biased labels', yTitle: 'error (higher: bias removed)', yRange: [0, 1.02] },
      { metric: 'forgetErrorTrue', title: 'forget error vs true labels', yTitle: 'error', yRange: [0, 1.02] },
    ],
  },
  'fig3-mia': {
    kind: 'width',
    title: 'Fig. 3 · Unlearning for privacy: membership inference on the forget set vs width',
    goal: 'privacy',
    panels: [
      { metric: 'mia', title: 'MIA accuracy (loss, logistic regression)', yTitle: 'accuracy (0.5 = chance)', hline: 0.5 },
      { metric: 'confidenceAuc', title: 'confidence attack AUC', yTitle: 'AUC (0.5 = chance)', hline: 0.5 },
    ],
  },
  'fig4-decision-regions': {
    kind: 'region-example',
    title: 'Fig. 4 · Decision regions of a narrow and a wide model: original, unlearned (tuned) and retrained',
    goal: 'privacy',
    example: { method: 'scrub', lambda: 0.4, seed: 0, plane: 0 },
  },
  'fig5-regions': {
    kind: 'width',
    title: 'Fig. 5 · Decision regions: similarity away from and change near the forget images, vs width',
    goal: 'privacy',
    regions: true,
    panels: [
      { metric: 'similarity', title: 'similarity to the original (away from forget)', yTitle: 'share unchanged', yRange: [0, 1.02] },
      { metric: 'change', title: 'change near the forget image', yTitle: 'share changed', yRange: [0, 1.02] },
    ],
  },
} satisfies Record<string, WidthFigureSpec | RegionExampleSpec>;

/** Any figure of the catalog. */
export type AnyFigureId = keyof typeof figures;
/** The width figures (what `runFigure` runs). */
export type FigureId = { [K in AnyFigureId]: (typeof figures)[K] extends { kind: 'width' } ? K : never }[AnyFigureId];
