// Plot builder for the width figures (paper figs. 1–3, 5): one panel per metric, x = width k (log scale),
// one line per (method, λ) with marker size by λ, mean ± std over seeds as error bars, and the original
// and retrained references as black and grey lines. Pure: aggregated rows → plotly figure.
import type { AggregateRow } from '../results/aggregate';
import type { PlotlyFigure, PlotlyTrace } from './figure';
import { colorOf, labelOf, markerSize } from './style';

/** One panel: which metric, its title and y-axis label, optional fixed y range. */
export interface Panel {
  metric: string;
  title: string;
  yTitle?: string;
  yRange?: [number, number];
  hline?: number;
}

/** Options of widthFigure. */
export interface WidthFigureOptions {
  title: string;
  panels: Panel[];
  /** Methods to draw, in order (default: all in the rows; references always drawn when present). */
  methods?: string[];
  /** Axis title of x (default 'width k'). */
  xTitle?: string;
}

const references = ['original', 'retrain'];

/**
 * Builds the figure.
 * @example
 * await show(widthFigure(aggregateSeeds(rows), { title: 'Privacy', panels: [{ metric: 'testError', title: 'Test error' }] }));
 */
export function widthFigure(rows: readonly AggregateRow[], o: WidthFigureOptions): PlotlyFigure {
  const methods = o.methods ?? [...new Set(rows.map((r) => r.method))].filter((m) => !references.includes(m));
  const ks = [...new Set(rows.map((r) => r.k))].sort((a, b) => a - b);
  const data: PlotlyTrace[] = [];
  const layout: Record<string, unknown> = {
    title: { text: o.title },
    height: 430,
    width: Math.max(520, 430 * o.panels.length),
    legend: { orientation: 'h', y: -0.22, traceorder: 'grouped' },
    margin: { t: 70, b: 110 },
    annotations: [] as unknown[],
    shapes: [] as unknown[],
  };
  o.panels.forEach((panel, p) => {
    const ax = p === 0 ? '' : String(p + 1);
    const lo = p / o.panels.length + 0.06,
      hi = (p + 1) / o.panels.length - 0.02;
    layout[`xaxis${ax}`] = {
      domain: [lo, hi],
      type: 'log',
      title: { text: o.xTitle ?? 'width k' },
      tickvals: ks,
      ticktext: ks.map(String),
      anchor: `y${ax}`,
    };
    layout[`yaxis${ax}`] = { title: { text: panel.yTitle ?? '' }, anchor: `x${ax}`, ...(panel.yRange ? { range: panel.yRange } : {}) };
    (layout.annotations as unknown[]).push({
      text: `<b>${panel.title}</b>`,
      xref: 'paper',
      yref: 'paper',
      x: (lo + hi) / 2,
      y: 1.06,
      showarrow: false,
      xanchor: 'center',
    });
    if (panel.hline !== undefined)
      (layout.shapes as unknown[]).push({
        type: 'line',
        xref: `x${ax} domain`,
        yref: `y${ax}`,
        x0: 0,
        x1: 1,
        y0: panel.hline,
        y1: panel.hline,
        line: { dash: 'dot', color: '#bbb' },
      });
    const mrows = rows.filter((r) => r.metric === panel.metric);
    const series = new Map<string, AggregateRow[]>();
    for (const r of mrows) {
      if (!references.includes(r.method) && !methods.includes(r.method)) continue;
      const key = `${r.method}|${r.lambda}`;
      series.set(key, [...(series.get(key) ?? []), r]);
    }
    const order = [...references, ...methods];
    const keys = [...series.keys()].sort((a, b) => order.indexOf(a.split('|')[0]) - order.indexOf(b.split('|')[0]) || a.localeCompare(b));
    for (const key of keys) {
      const pts = (series.get(key) as AggregateRow[]).sort((a, b) => a.k - b.k);
      const { method, lambda } = pts[0];
      const ref = references.includes(method);
      const jitter = lambda === null ? 1 : Math.pow(2, (lambda - 0.4) * 0.25);
      data.push({
        type: 'scatter',
        mode: 'lines+markers',
        xaxis: `x${ax}`,
        yaxis: `y${ax}`,
        name: ref ? labelOf(method) : `${labelOf(method)}, λ=${lambda}`,
        legendgroup: method,
        // Every (method, λ) line gets its own legend entry (once, from the first panel), grouped by method.
        showlegend: p === 0,
        x: pts.map((r) => r.k * jitter),
        y: pts.map((r) => r.mean),
        error_y: { type: 'data', array: pts.map((r) => r.std), visible: true, thickness: 1, width: 2 },
        line: { color: colorOf(method), dash: method === 'original' ? 'dash' : method === 'retrain' ? 'dot' : 'solid', width: ref ? 2 : 1 },
        marker: { color: colorOf(method), size: markerSize(lambda), symbol: ref ? 'diamond' : 'circle' },
        hovertemplate: `${labelOf(method)}${lambda === null ? '' : ` λ=${lambda}`}<br>k=%{customdata}<br>%{y:.3f} ± %{error_y.array:.3f}<extra></extra>`,
        customdata: pts.map((r) => r.k),
      });
    }
  });
  if (o.panels.length > 0)
    (layout.annotations as unknown[]).push({
      text: 'marker size = λ; error bars: ± std over seeds',
      xref: 'paper',
      yref: 'paper',
      x: 1,
      y: 1.13,
      showarrow: false,
      xanchor: 'right',
      font: { size: 11, color: '#666' },
    });
  return { data, layout };
}
