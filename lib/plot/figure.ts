// Plotly figure type ({data, layout, config}, as in plotly.js's figure JSON schema) and a one-line description.

/** One plotly trace, e.g. `{type: 'scatter', x: [...], y: [...], name: 'train'}`; any plotly attribute. */
export interface PlotlyTrace {
  type?: string;
  name?: string;
  [attribute: string]: unknown;
}

/** A plotly figure as plotly.js and the `application/vnd.plotly.v1+json` MIME type expect it. */
export interface PlotlyFigure {
  data: PlotlyTrace[];
  layout?: Record<string, unknown>;
  config?: Record<string, unknown>;
}

/**
 * Deep-copies a figure into plain JSON: typed arrays (Float32Array from tensors) become arrays, NaN and
 * Infinity become null (plotly draws gaps). `JSON.stringify` alone would turn a Float32Array into an object.
 */
export function figureToJson(fig: PlotlyFigure): PlotlyFigure {
  const text = JSON.stringify(fig, (_key, value: unknown) => {
    if (ArrayBuffer.isView(value) && !(value instanceof DataView)) {
      return Array.from(value as unknown as ArrayLike<number | bigint>, (x) => Number(x));
    }
    return typeof value === 'bigint' ? Number(value) : value;
  });
  return JSON.parse(text) as PlotlyFigure;
}

/** Reads the figure's title (a string or `{text}`), or undefined. */
export function figureTitle(fig: PlotlyFigure): string | undefined {
  const title = fig.layout?.['title'];
  if (typeof title === 'string') return title;
  if (title && typeof title === 'object' && typeof (title as { text?: unknown }).text === 'string') {
    return (title as { text: string }).text;
  }
  return undefined;
}

function pointCount(trace: PlotlyTrace): number {
  for (const key of ['y', 'x', 'z', 'values', 'r']) {
    const v = trace[key];
    if (Array.isArray(v) || ArrayBuffer.isView(v)) return (v as ArrayLike<unknown>).length;
  }
  return 0;
}

/**
 * One-line text description of a figure, used as its `text/plain` representation.
 * @example
 * describeFigure({data: [{type: 'scatter', y: [1, 2]}], layout: {title: 'Loss'}})
 * // 'Figure "Loss": 1 trace (scatter), 2 points'
 */
export function describeFigure(fig: PlotlyFigure): string {
  const title = figureTitle(fig);
  const kinds = new Map<string, number>();
  let points = 0;
  for (const t of fig.data) {
    const kind = t.type ?? 'scatter';
    kinds.set(kind, (kinds.get(kind) ?? 0) + 1);
    points += pointCount(t);
  }
  const kindText = [...kinds].map(([k, n]) => (n > 1 ? `${k} x${n}` : k)).join(', ');
  const n = fig.data.length;
  return (
    `Figure${title ? ` "${title.replace(/<[^>]*>/g, '')}"` : ''}: ${n} trace${n === 1 ? '' : 's'}` +
    `${kindText ? ` (${kindText})` : ''}, ${points} point${points === 1 ? '' : 's'}`
  );
}
