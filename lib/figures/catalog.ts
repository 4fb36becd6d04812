// The paper's figures as typed entries: which goal's sweep each reads and which panels it draws
// (SPEC "Figures"). Figures 1 and 3 read the same privacy sweep, so running one after the other trains nothing.
import type { UnlearningGoal } from '../data/splits';
import type { Panel } from '../plot/width-figure';

/** A width figure: a title, the goal of its sweep, and its panels. */
export interface WidthFigureSpec { title: string; goal: UnlearningGoal; panels: Panel[]; regions?: boolean }

export const figures = {
  'fig1-privacy': {
    title: 'Fig. 1 · Unlearning for privacy: test error and forget–validation gap vs width',
    goal: 'privacy',
    panels: [
      { metric: 'testError', title: 'test error', yTitle: 'error' },
      { metric: 'forgetGap', title: '|forget error − validation error|', yTitle: 'gap (lower: better privacy)' },
    ],
  },
  'fig2-bias': {
    title: 'Fig. 2 · Unlearning for bias removal: test error and forget error (biased labels) vs width',
    goal: 'bias',
    panels: [
      { metric: 'testError', title: 'test error', yTitle: 'error' },
      { metric: 'forgetError', title: 'forget error vs biased labels', yTitle: 'error (higher: bias removed)', yRange: [0, 1.02] },
      { metric: 'forgetErrorTrue', title: 'forget error vs true labels', yTitle: 'error', yRange: [0, 1.02] },
    ],
  },
  'fig3-mia': {
    title: 'Fig. 3 · Unlearning for privacy: membership inference on the forget set vs width',
    goal: 'privacy',
    panels: [
      { metric: 'mia', title: 'MIA accuracy (loss, logistic regression)', yTitle: 'accuracy (0.5 = chance)', hline: 0.5 },
      { metric: 'confidenceAuc', title: 'confidence attack AUC', yTitle: 'AUC (0.5 = chance)', hline: 0.5 },
    ],
  },
  'fig5-regions': {
    title: 'Fig. 5 · Decision regions: similarity away from and change near the forget images, vs width',
    goal: 'privacy',
    regions: true,
    panels: [
      { metric: 'similarity', title: 'similarity to the original (away from forget)', yTitle: 'share unchanged', yRange: [0, 1.02] },
      { metric: 'change', title: 'change near the forget image', yTitle: 'share changed', yRange: [0, 1.02] },
    ],
  },
} satisfies Record<string, WidthFigureSpec>;

export type FigureId = keyof typeof figures;
