// Headless PNG rendering of plotly figures: playwright-core drives Debian's Chromium, plotly.js is loaded once
// into one page and each figure goes through Plotly.toImage (follows plotly.js's toImage API, playwright's launch);
// the bytes are re-encoded as a palette PNG with sharp.
import * as fs from 'fs';
import sharp from 'sharp';
import { writeFileAtomic } from '../util/atomic';
import { figureToJson, type PlotlyFigure } from './figure';

/** Size of one rendered image. Width/height default to the figure's layout.width/height, else 700 x 450. */
export interface PngOptions {
  width?: number;
  height?: number;
  /** Pixel ratio (2 for sharp images on high-DPI screens, at 4x the bytes). Default 1. */
  scale?: number;
  /** Per-figure render timeout; on timeout the browser is restarted. Default 30 s. */
  timeoutMs?: number;
  /**
   * Store as a palette PNG (≤ 256 colours, no dithering; sharp/libimagequant). Plots use few colours, so this
   * looks the same at about a quarter of the bytes, which keeps committed notebooks small. Default true.
   */
  palette?: boolean;
}

/** Process-wide renderer settings (see `configureRenderer`). */
export interface RendererOptions {
  /** Chromium binary. Default: env CHROMIUM_PATH, else /usr/bin/chromium. */
  chromiumPath: string;
  /** Close the browser after this long without renders (it is restarted on demand, about 3 s). Default 2 s. */
  idleCloseMs: number;
  /** Browser start timeout. Default 60 s. */
  launchTimeoutMs: number;
}

/** Thrown when the Chromium binary does not exist; the message says how to install it. */
export class ChromiumMissingError extends Error {
  override name = 'ChromiumMissingError';
}

/** Flags for a quiet, offline, sandbox-less headless Chromium (playwright adds a fresh temporary profile). */
export const chromiumArgs: readonly string[] = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

const settings: RendererOptions = {
  chromiumPath: process.env['CHROMIUM_PATH'] || '/usr/bin/chromium',
  idleCloseMs: 2000,
  launchTimeoutMs: 60_000,
};

// The few playwright-core methods used, typed locally: importing playwright-core's 1 MB of type declarations
// would add seconds to every notebook's first import (tslab type-checks imported modules).
interface Page {
  setContent(html: string): Promise<void>;
  addScriptTag(options: { path: string }): Promise<unknown>;
  evaluate<R, A>(fn: (arg: A) => R | Promise<R>, arg: A): Promise<R>;
}
interface Browser {
  newPage(): Promise<Page>;
  close(): Promise<void>;
  on(event: 'disconnected', listener: () => void): unknown;
}
export interface ChromiumLauncher {
  launch(options: { executablePath: string; headless: boolean; args: string[]; timeout: number; handleSIGINT: boolean }): Promise<Browser>;
}

interface Session {
  browser: Browser;
  page: Page;
}

let session: Promise<Session> | undefined;
let queue: Promise<unknown> = Promise.resolve();
let idleTimer: NodeJS.Timeout | undefined;

/** Changes renderer settings for this process (e.g. a longer `idleCloseMs` inside a notebook kernel). */
export function configureRenderer(options: Partial<RendererOptions>): void {
  Object.assign(settings, options);
}

/** Path of the Chromium binary the renderer would use. */
export function chromiumPath(): string {
  return settings.chromiumPath;
}

async function start(): Promise<Session> {
  const exe = settings.chromiumPath;
  if (!fs.existsSync(exe)) {
    throw new ChromiumMissingError(
      `Chromium not found at ${exe}: install it with 'apt-get install chromium' (Debian/Ubuntu), ` +
        `or set CHROMIUM_PATH to a Chromium or Chrome binary`,
    );
  }
  const { chromium } = require('playwright-core') as { chromium: ChromiumLauncher };
  const browser = await chromium.launch({
    executablePath: exe,
    headless: true,
    args: [...chromiumArgs],
    timeout: settings.launchTimeoutMs,
    // playwright's default SIGINT handler closes the browser and exits the process: inside a Jupyter kernel
    // that turned Kernel > Interrupt into a dead kernel. Interrupts are ours to handle (lib/util/cancel.ts);
    // SIGTERM/SIGHUP keep playwright's handlers, which close Chromium before the process ends.
    handleSIGINT: false,
  });
  try {
    browser.on('disconnected', () => {
      session = undefined;
    });
    const page = await browser.newPage();
    await page.setContent('<!doctype html><html><head><meta charset="utf-8"></head><body></body></html>');
    await page.addScriptTag({ path: require.resolve('plotly.js-dist') });
    return { browser, page };
  } catch (e) {
    await browser.close().catch(() => undefined);
    throw e;
  }
}

function withTimeout<T>(p: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} timed out after ${ms} ms`)), ms);
  });
  return Promise.race([p, timeout]).finally(() => clearTimeout(timer));
}

async function renderNow(fig: PlotlyFigure, options: PngOptions): Promise<Buffer> {
  if (idleTimer) clearTimeout(idleTimer);
  try {
    const current = (session ??= start());
    let s: Session;
    try {
      s = await current;
    } catch (e) {
      if (session === current) session = undefined;
      throw e;
    }
    const json = figureToJson(fig);
    const layout = json.layout ?? {};
    const width = options.width ?? (typeof layout['width'] === 'number' ? layout['width'] : 700);
    const height = options.height ?? (typeof layout['height'] === 'number' ? layout['height'] : 450);
    const scale = options.scale ?? 1;
    const evaluate = s.page.evaluate(
      async ({ fig, opts }) => {
        const plotly = (globalThis as unknown as { Plotly: { toImage(f: unknown, o: unknown): Promise<string> } }).Plotly;
        return plotly.toImage(fig, opts);
      },
      { fig: json as unknown, opts: { format: 'png', width, height, scale } },
    );
    let url: string;
    try {
      url = await withTimeout(evaluate, options.timeoutMs ?? 30_000, 'Plotly.toImage');
    } catch (e) {
      await closeRenderer();
      throw e;
    }
    return Buffer.from(url.slice(url.indexOf(',') + 1), 'base64');
  } finally {
    if (session) {
      idleTimer = setTimeout(() => void closeRenderer(), settings.idleCloseMs);
      idleTimer.unref();
    }
  }
}

/** Re-encodes a PNG with a palette of at most 256 colours, without dithering. */
async function toPalette(png: Buffer): Promise<Buffer> {
  return sharp(png).png({ palette: true, dither: 0, compressionLevel: 9, effort: 10 }).toBuffer();
}

/**
 * Renders a plotly figure to PNG bytes. The browser starts on first use (about 3 s: launch plus loading
 * plotly.js), renders are serialized through one page, and the browser closes after `idleCloseMs` without
 * renders or when the process exits.
 * @throws ChromiumMissingError when Chromium is not installed.
 */
export function renderPng(fig: PlotlyFigure, options: PngOptions = {}): Promise<Buffer> {
  const run = queue.then(() => renderNow(fig, options)).then((png) => ((options.palette ?? true) ? toPalette(png) : png));
  queue = run.catch(() => undefined);
  return run;
}

/** Renders `fig` and writes the PNG to `file` atomically (creating folders); returns `file`. */
export async function savePng(fig: PlotlyFigure, file: string, options: PngOptions = {}): Promise<string> {
  const png = await renderPng(fig, options);
  writeFileAtomic(file, png);
  return file;
}

/** Closes the browser now (scripts can call it to exit without waiting for the idle timeout). */
export async function closeRenderer(): Promise<void> {
  if (idleTimer) clearTimeout(idleTimer);
  const current = session;
  session = undefined;
  if (!current) return;
  const s = await current.catch(() => undefined);
  await s?.browser.close().catch(() => undefined);
}
