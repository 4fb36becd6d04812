// Rich notebook output through tslab (the one module that talks to tslab's display): plotly figures as one
// plotly-JSON + PNG + text output, tables, markdown, text and live progress; plain text outside a kernel.
// Follows tslab 1.0.22's dist/public.js (display_data/update_display_data with transient.display_id).
import { randomBytes } from 'crypto';
import * as path from 'path';
import { writeFileAtomic, writeJsonAtomic } from '../util/atomic';
import { describeFigure, figureTitle, figureToJson, type PlotlyFigure } from '../plot/figure';
import { ChromiumMissingError, configureRenderer, renderPng, type PngOptions } from '../plot/render-png';
import {
  notebookProgress,
  terminalProgress,
  type NotebookProgressOptions,
  type ProgressSink,
  type TerminalProgressOptions,
} from './progress';
import { formatTable, tableToHtml, tableToText, type Row, type TableFormatOptions, type TableLike } from './table';
import { isCancelled } from '../util/cancel';

/** MIME type to content; JSON MIME types (`application/*+json`) take objects, binary ones base64 strings. */
export type MimeBundle = Record<string, unknown>;

/** The plotly MIME type JupyterLab, VS Code and our classic-Notebook nbextension render interactively. */
export const PLOTLY_MIME = 'application/vnd.plotly.v1+json';

type WriteDisplayData = (
  msg: { data: MimeBundle; metadata: Record<string, unknown>; transient: { display_id?: string } },
  update: boolean,
) => void;

let jupyterModule: { lastWriteDisplayData: WriteDisplayData | null } | null | undefined;

/**
 * tslab's internal `dist/jupyter` module of the running kernel, found next to the module that the kernel's
 * hooked `require('tslab')` returns (so it is the kernel's own copy, local or global). Null outside tslab.
 */
function tslabJupyter(): { lastWriteDisplayData: WriteDisplayData | null } | null {
  if (jupyterModule !== undefined) return jupyterModule;
  jupyterModule = null;
  if (!('__tslab__' in globalThis)) return null;
  try {
    const pub: unknown = require('tslab');
    for (const m of Object.values(require.cache)) {
      if (m && m.exports === pub) {
        const j = require.cache[path.join(path.dirname(m.filename), 'jupyter.js')];
        if (j) {
          jupyterModule = j.exports as { lastWriteDisplayData: WriteDisplayData | null };
          serializeKernelSends(j.filename);
        }
        break;
      }
    }
  } catch {
    jupyterModule = null;
  }
  if (jupyterModule) configureRenderer({ idleCloseMs: 5 * 60_000 });
  return jupyterModule;
}

/** A zeromq socket class's prototype, whose `send` returns a promise. */
type SendPrototype = Record<string | symbol, unknown>;

/**
 * Makes each socket of these classes send one message after another: a call waits for the previous send's promise
 * before it sends (same order; a failed send does not block the next). A zeromq 6 socket takes one send at a time and
 * throws EBUSY on a send while the previous one is pending.
 * @example
 * serializeSends([zmq.Publisher.prototype, zmq.Router.prototype]);
 */
export function serializeSends(prototypes: readonly SendPrototype[]): void {
  const mark = Symbol.for('overparam-unlearning.serialized-send');
  for (const proto of prototypes) {
    if (proto[mark]) continue;
    const send = proto.send as (this: object, msg: unknown) => Promise<void>;
    const tails = new WeakMap<object, Promise<void>>();
    // zeromq defines `send` read-only on a shared base prototype: define an own property on each class instead.
    Object.defineProperty(proto, 'send', {
      configurable: true,
      writable: true,
      value(this: object, msg: unknown): Promise<void> {
        const next = (tails.get(this) ?? Promise.resolve()).then(() => send.call(this, msg));
        tails.set(
          this,
          next.catch(() => undefined),
        );
        return next;
      },
    });
    proto[mark] = true;
  }
}

/**
 * tslab sends every kernel message with `socket.send(...)` and ignores the promise, so a send while the previous one is
 * still pending (synchronous compute holding the event loop) threw EBUSY — from our in-place progress updates, from
 * showMarkdown, from tslab's own status messages — and failed the cell (notebook 05 at cpu, twice). The kernel's
 * zeromq (resolved from tslab's `jupyter.js`) gets its sends chained.
 */
function serializeKernelSends(jupyterFile: string): void {
  try {
    const zmq = require(require.resolve('zeromq', { paths: [path.dirname(jupyterFile)] })) as Record<
      'Publisher' | 'Router',
      { prototype: SendPrototype }
    >;
    serializeSends([zmq.Publisher.prototype, zmq.Router.prototype]);
  } catch {
    // Another zeromq layout: the sends stay as tslab makes them.
  }
}

function writer(): WriteDisplayData | undefined {
  return tslabJupyter()?.lastWriteDisplayData ?? undefined;
}

/** True when running inside a tslab Jupyter kernel (rich output possible). */
export function inNotebook(): boolean {
  return writer() !== undefined;
}

/**
 * Emits one output holding several MIME types (tslab's public API emits one per call). Outside a kernel it
 * prints the `text/plain` entry. Metadata is per MIME type, e.g. `{'image/png': {width: 700}}`.
 */
export function displayBundle(bundle: MimeBundle, metadata: Record<string, unknown> = {}): void {
  // A cancelled run's late output would land in whatever cell runs now: drop it.
  if (isCancelled()) return;
  const write = writer();
  if (!write) {
    console.log(String(bundle['text/plain'] ?? ''));
    return;
  }
  write({ data: bundle, metadata, transient: {} }, false);
}

/** An output that can be replaced in place (display_id); `update` shows or replaces its content. */
export interface DisplayHandle {
  update(bundle: MimeBundle, metadata?: Record<string, unknown>): void;
}

/** Creates an output replaced in place by each `update` (inside a kernel; outside, each update prints). */
export function newDisplayHandle(): DisplayHandle {
  const id = randomBytes(8).toString('hex');
  let shown = false;
  return {
    update(bundle, metadata = {}) {
      if (isCancelled()) return;
      const write = writer();
      if (!write) {
        console.log(String(bundle['text/plain'] ?? ''));
        return;
      }
      write({ data: bundle, metadata, transient: { display_id: id } }, shown);
      shown = true;
    },
  };
}

/** Options of `show`. */
export interface ShowOptions extends PngOptions {
  /** Include a static PNG (rendered by headless Chromium). Default true. */
  png?: boolean;
  /** File name stem used outside a kernel when UNLEARN_FIGURE_DIR is set. Default: from the title. */
  name?: string;
}

let warnedNoChromium = false;
let figureCount = 0;

function slug(s: string): string {
  return s
    .toLowerCase()
    .replace(/<[^>]*>/g, '')
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '')
    .slice(0, 60);
}

async function tryPng(fig: PlotlyFigure, options: ShowOptions): Promise<Buffer | undefined> {
  if (options.png === false) return undefined;
  try {
    return await renderPng(fig, options);
  } catch (e) {
    if (e instanceof ChromiumMissingError) {
      if (!warnedNoChromium) console.warn(`warning: figures shown without a static PNG: ${e.message}`);
      warnedNoChromium = true;
    } else {
      console.warn(`warning: PNG rendering failed, figure shown without a static PNG: ${(e as Error).message}`);
    }
    return undefined;
  }
}

/**
 * Shows a plotly figure as ONE output bundling the interactive plotly JSON, a PNG and a one-line text
 * description. `await` it: the PNG is rendered asynchronously. Outside a kernel it prints the description,
 * and writes `<name>.png` + `<name>.json` when the env UNLEARN_FIGURE_DIR names a folder.
 * @example
 * await show({data: [{type: 'scatter', y: losses}], layout: {title: {text: 'Loss'}}});
 */
export async function show(fig: PlotlyFigure, options: ShowOptions = {}): Promise<void> {
  const json = figureToJson(fig);
  const text = describeFigure(json);
  figureCount++;
  if (!inNotebook()) {
    const dir = process.env['UNLEARN_FIGURE_DIR'];
    if (!dir) {
      console.log(text);
      return;
    }
    const stem = path.join(dir, options.name ?? (slug(figureTitle(json) ?? '') || `figure-${figureCount}`));
    writeJsonAtomic(`${stem}.json`, json);
    const png = await tryPng(json, options);
    if (png) writeFileAtomic(`${stem}.png`, png);
    console.log(`${text} -> ${stem}.${png ? 'png' : 'json'}`);
    return;
  }
  const png = await tryPng(json, options);
  const bundle: MimeBundle = { [PLOTLY_MIME]: json, 'text/plain': text };
  if (png) bundle['image/png'] = png.toString('base64');
  displayBundle(bundle);
}

/**
 * Shows rows (array of objects) or an arquero table as an HTML table plus aligned text.
 * @example
 * showTable([{method: 'GA', forgetAcc: 0.12}, {method: 'retrain', forgetAcc: 0.1}], {digits: 3});
 */
export function showTable(table: readonly Row[] | TableLike, options: TableFormatOptions = {}): void {
  const t = formatTable(table, options);
  displayBundle({ 'text/html': tableToHtml(t), 'text/plain': tableToText(t) });
}

/** Shows Markdown (rendered in the notebook; printed as is outside). */
export function showMarkdown(markdown: string): void {
  displayBundle({ 'text/markdown': markdown, 'text/plain': markdown });
}

/** Shows plain text as its own output (unlike console.log, which joins the cell's stdout stream). */
export function showText(text: string): void {
  displayBundle({ 'text/plain': text });
}

/** Options of `progress`. */
export interface ProgressOptions extends NotebookProgressOptions, TerminalProgressOptions {}

/**
 * A live progress sink: one notebook output updated in place inside a kernel, a bar on stderr otherwise.
 * @example
 * const p = progress();
 * for (let e = 1; e <= epochs; e++) p.update({label: 'train', step: e, total: epochs, loss, acc});
 * p.done('test acc 0.91');
 */
export function progress(options: ProgressOptions = {}): ProgressSink {
  if (!inNotebook()) return terminalProgress(options);
  const handle = newDisplayHandle();
  return notebookProgress((bundle) => handle.update(bundle), options);
}
