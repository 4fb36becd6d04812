// Plot builder for paper fig. 4: decision regions on one plane as class heatmaps, one row per width and
// one column per model (original / unlearned / retrained), with the forget image (star) and the two retain
// images (circles) marked. Pure: grids → plotly figure.
import type { StoredPlane } from '../experiment/regions';
import type { PlotlyFigure, PlotlyTrace } from './figure';
import { labelOf } from './style';

/** One width's three grids on the same plane (one row of the figure; built by lib/figures/regions.ts). */
export interface RegionExample {
  /** Width multiplier of the models in this row. */
  k: number;
  /** Unlearning method of the middle column. */
  method: string;
  /** The λ its hyperparameters were tuned for. */
  lambda: number;
  /** Each column's class grid on the same plane. */
  planes: Record<'original' | 'unlearned' | 'retrained', StoredPlane>;
  /** The tuned method's hyperparameters. */
  hp: Record<string, number>;
}

/** Ten well-separated colours, one per class (plotly's D3 palette). */
const classColors = ['#1f77b4', '#ff7f0e', '#2ca02c', '#d62728', '#9467bd', '#8c564b', '#e377c2', '#7f7f7f', '#bcbd22', '#17becf'];

/**
 * Builds the grid of heatmaps.
 * @example
 * await show(regionsFigure(examples, await datasetClasses(profile.data.dataset))); // or CIFAR10_CLASSES
 */
export function regionsFigure(examples: readonly RegionExample[], classNames: readonly string[]): PlotlyFigure {
  const cols = ['original', 'unlearned', 'retrained'] as const;
  const C = classNames.length;
  const colorscale = classNames.flatMap((_, c) => [
    [c / C, classColors[c % 10]],
    [(c + 1) / C, classColors[c % 10]],
  ]);
  const data: PlotlyTrace[] = [];
  const layout: Record<string, unknown> = {
    title: {
      text: `Fig. 4 · Decision regions: ${labelOf(examples[0]?.method ?? '')} (λ=${examples[0]?.lambda}) on a plane through one forget and two retain images`,
    },
    height: 330 * examples.length + 80,
    width: 980,
    annotations: [] as unknown[],
    showlegend: false,
  };
  examples.forEach((ex, r) => {
    cols.forEach((col, c) => {
      const i = r * cols.length + c + 1;
      const ax = i === 1 ? '' : String(i);
      const p = ex.planes[col];
      const n = p.grid.resolution;
      // z[j][i] = class at (us[i], vs[j]); stored index is i·n + j.
      const z = Array.from({ length: n }, (_, j) => Array.from({ length: n }, (_, ii) => p.classes[ii * n + j]));
      const x0 = c / 3 + 0.02,
        x1 = (c + 1) / 3 - 0.02,
        y1 = 1 - r / examples.length - 0.06,
        y0 = 1 - (r + 1) / examples.length + 0.04;
      layout[`xaxis${ax}`] = { domain: [x0, x1], anchor: `y${ax}`, showticklabels: false, zeroline: false };
      layout[`yaxis${ax}`] = { domain: [y0, y1], anchor: `x${ax}`, showticklabels: false, zeroline: false, scaleanchor: `x${ax}` };
      data.push({
        type: 'heatmap',
        x: p.grid.us,
        y: p.grid.vs,
        z,
        zmin: -0.5,
        zmax: C - 0.5,
        colorscale,
        showscale: false,
        xaxis: `x${ax}`,
        yaxis: `y${ax}`,
        customdata: z.map((rowv) => rowv.map((k) => classNames[k])),
        hovertemplate: '%{customdata}<extra></extra>',
      });
      data.push({
        type: 'scatter',
        mode: 'markers',
        x: p.anchors.map((a) => a[0]),
        y: p.anchors.map((a) => a[1]),
        xaxis: `x${ax}`,
        yaxis: `y${ax}`,
        marker: { symbol: ['star', 'circle', 'circle'], size: [16, 10, 10], color: 'white', line: { color: 'black', width: 1.5 } },
        hoverinfo: 'skip',
      });
      (layout.annotations as unknown[]).push({
        text: `<b>k=${ex.k}</b> · ${col}`,
        xref: 'paper',
        yref: 'paper',
        x: (x0 + x1) / 2,
        y: y1 + 0.01,
        showarrow: false,
        yanchor: 'bottom',
      });
    });
  });
  (layout.annotations as unknown[]).push({
    text: `colours: ${classNames.map((n, c) => `<span style="color:${classColors[c % 10]}">■</span> ${n}`).join(' ')} · ★ forget image, ● retain images`,
    xref: 'paper',
    yref: 'paper',
    x: 0.5,
    y: -0.04,
    showarrow: false,
    font: { size: 11 },
  });
  return { data, layout };
}
