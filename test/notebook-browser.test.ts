// Browser test of the notebook stack, the way a person would see it: the classic Notebook UI (Debian's Notebook 6,
// started by scripts/notebook.sh with the project-local kernel and the plotly-mime nbextension) opened in headless
// Chromium (playwright-core + /usr/bin/chromium), Cell > Run All on a copy of notebooks/03-mia.ipynb at the smoke
// profile; then every cell must have replied ok, and the nbextension must have drawn the plotly chart with as many
// SVG traces, markers and subplots as the displayed figure JSON has. Saves a screenshot into the OS temp folder.
// Takes 35-50 s with the model store warm (several minutes cold: the notebook's sweep trains the smoke models).
// Skipped without Chromium or Debian's classic Notebook. Run: node --import tsx --test test/notebook-browser.test.ts
import { test, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync, type ChildProcess } from 'child_process';
import { randomBytes } from 'crypto';
import * as fs from 'fs';
import * as net from 'net';
import * as os from 'os';
import * as path from 'path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { chromiumArgs } from '../lib/plot/render-png';

const root = path.resolve(__dirname, '..');
const NOTEBOOK = 'notebooks/03-mia.ipynb';
const CHROMIUM = process.env['CHROMIUM_PATH'] || '/usr/bin/chromium';
const PYTHON = process.env['JUPYTER_PYTHON'] || '/usr/bin/python3';

// Phase limits (the machine is small and shared: generous, but each one fails with a clear message).
const SERVER_START_MS = 30_000;
const PAGE_LOAD_MS = 45_000;
const KERNEL_READY_MS = 45_000;
// Run All: 03-mia at smoke takes ~15-35 s with the model store warm, but minutes with a cold store on a busy
// machine (its sweep trains the models), so the wait fails when the page has shown no progress (no reply, no
// output change: the sweep's progress bar updates several times a minute) for RUN_STALL_MS, or after RUN_ALL_MS.
const RUN_STALL_MS = 180_000;
const RUN_ALL_MS = 20 * 60_000;
const PLOT_DRAWN_MS = 30_000;
const SHUTDOWN_MS = 20_000;

// Same failure patterns as scripts/run-notebooks.py (tslab only logs these to stderr; the cell passes).
const KERNEL_FAILURES: [string, RegExp][] = [
  ['TypeScript error', /^(?:\S+ )?\d+:\d+ - /m],
  ['unhandled promise rejection', /UnhandledPromiseRejection/],
  ['uncaught exception', /UncaughtException/],
];

function skipReason(): string | false {
  if (!fs.existsSync(CHROMIUM)) return `no Chromium at ${CHROMIUM} (apt-get install chromium)`;
  if (spawnSync(PYTHON, ['-c', 'import notebook.notebookapp'], { stdio: 'ignore' }).status !== 0) {
    return `classic Jupyter Notebook not importable by ${PYTHON} (apt-get install jupyter-notebook)`;
  }
  if (!fs.existsSync(path.join(root, 'node_modules', 'tslab'))) return 'tslab not installed (npm install)';
  return false;
}

// ---- processes (/proc), so cleanup can prove the server, the kernel and every Chromium are gone ----

interface Proc {
  pid: number;
  ppid: number;
  start: string; // starttime in clock ticks: tells a live process from a reused pid
  cmd: string;
}

function readProc(pid: number): Proc | undefined {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    const f = stat.slice(stat.lastIndexOf(')') + 2).split(' '); // f[0] is field 3 (state)
    if (f[0] === 'Z') return undefined; // zombie: exited, not yet reaped
    const cmd = fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').replace(/\0/g, ' ').trim();
    return { pid, ppid: Number(f[1]), start: f[19]!, cmd };
  } catch {
    return undefined;
  }
}

function allProcs(): Proc[] {
  const out: Proc[] = [];
  for (const name of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    const p = readProc(Number(name));
    if (p) out.push(p);
  }
  return out;
}

/** All live descendants of `pid` (children, grandchildren, ...). */
function descendants(pid: number): Proc[] {
  const procs = allProcs();
  const found: Proc[] = [];
  const queue = [pid];
  while (queue.length) {
    const parent = queue.shift()!;
    for (const p of procs) {
      if (p.ppid === parent) {
        found.push(p);
        queue.push(p.pid);
      }
    }
  }
  return found;
}

const isAlive = (p: Proc): boolean => readProc(p.pid)?.start === p.start;
const key = (p: Proc): string => `${p.pid}:${p.start}`;

// ---- small utilities ----

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));
/** A timeout for Promise.race that does not keep the process alive once the race is decided. */
const deadline = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms).unref());

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as net.AddressInfo;
      srv.close(() => resolve(port));
    });
  });
}

/** Keeps the last `max` characters written to a stream. */
class Tail {
  text = '';
  constructor(private readonly max = 6000) {}
  push(chunk: Buffer | string): void {
    this.text = (this.text + chunk.toString()).slice(-this.max);
  }
  toString(): string {
    return this.text.trim() || '(empty)';
  }
}

function indent(text: string): string {
  return text
    .trimEnd()
    .split('\n')
    .map((l) => '    ' + l)
    .join('\n');
}

/** Polls `probe` until it returns a value other than undefined; on timeout throws with `detail()`. */
async function waitFor<T>(
  what: string,
  timeoutMs: number,
  probe: () => Promise<T | undefined>,
  detail: () => Promise<string> | string,
  everyMs = 250,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await probe();
    if (v !== undefined) return v;
    if (Date.now() > deadline) throw new Error(`${what} within ${Math.round(timeoutMs / 1000)} s: ${await detail()}`);
    await sleep(everyMs);
  }
}

// ---- what the page looks like (browser-side code as strings: no DOM lib in tsconfig, nothing for tsx to rewrite) ----

interface PageState {
  loaded: boolean;
  kernelReady: boolean;
  idle: boolean;
  kernelId: string | null;
  codeCells: number;
  /** Cells showing the In [*] prompt. */
  running: number;
  /** Cells whose execute_reply arrived (recorded by RUN_ALL), by status. */
  replied: number;
  statuses: Record<string, number>;
  errors: string[];
  dialogs: string[];
  /** Changes whenever a reply arrives or any output text changes (progress detection). */
  activity: string;
}

const PAGE_STATE = `(() => {
  const nb = window.Jupyter && window.Jupyter.notebook;
  const dialogs = Array.from(document.querySelectorAll('.modal.in')).map((e) => e.innerText.trim().replace(/\\s+/g, ' '));
  if (!nb || !nb._fully_loaded) return { loaded: false, dialogs };
  const k = nb.kernel;
  const icon = document.querySelector('#kernel_indicator_icon');
  const cells = nb.get_cells().filter((c) => c.cell_type === 'code' && c.get_text().trim() !== '');
  return {
    loaded: true,
    kernelReady: !!(k && k.is_connected() && k.info_reply && k.info_reply.protocol_version),
    idle: !!(icon && icon.classList.contains('kernel_idle_icon')),
    kernelId: (k && k.id) || null,
    codeCells: cells.length,
    running: cells.filter((c) => c.input_prompt_number === '*').length,
    replied: cells.filter((c) => c.__browserTestStatus).length,
    statuses: cells.reduce((m, c) => (c.__browserTestStatus && (m[c.__browserTestStatus] = (m[c.__browserTestStatus] || 0) + 1), m), {}),
    errors: Array.from(document.querySelectorAll('.output_error')).map((e) => e.innerText.trim()),
    dialogs,
    activity: (() => {
      const text = Array.from(document.querySelectorAll('.output_area')).map((e) => e.innerText).join('\\u0000');
      let h = 0;
      for (let i = 0; i < text.length; i++) h = (h * 31 + text.charCodeAt(i)) | 0;
      return cells.filter((c) => c.__browserTestStatus).length + ':' + text.length + ':' + h;
    })(),
  };
})()`;

// Cell > Run All, recording each code cell's execute_reply status (ok / error / abort) on the cell: tslab sends no
// error output for a failed cell (the message goes to its stderr stream) and aborts the cells queued after it.
// CodeCell.execute reads this._handle_execute_reply when it builds its callbacks, so an own property wraps it.
const RUN_ALL = `(() => {
  const nb = window.Jupyter.notebook;
  for (const c of nb.get_cells()) {
    if (c.cell_type !== 'code') continue;
    delete c.__browserTestStatus;
    if (!c.__browserTestWrapped) {
      const orig = c._handle_execute_reply;
      c._handle_execute_reply = function (msg) {
        this.__browserTestStatus = (msg.content && msg.content.status) || 'unknown';
        return orig.apply(this, arguments);
      };
      c.__browserTestWrapped = true;
    }
  }
  nb.execute_all_cells();
})()`;

/** Every code cell that did not reply 'ok': position, prompt, status, first line, stderr and error text. */
const FAILED_CELLS = `(() => {
  const out = [];
  window.Jupyter.notebook.get_cells().forEach((c, i) => {
    if (c.cell_type !== 'code' || c.get_text().trim() === '' || c.__browserTestStatus === 'ok') return;
    const outputs = (c.output_area && c.output_area.outputs) || [];
    const text = outputs
      .map((o) => (o.output_type === 'stream' && o.name === 'stderr' ? o.text : o.output_type === 'error' ? o.ename + ': ' + o.evalue : ''))
      .join('');
    out.push('cell ' + (i + 1) + ' In [' + (c.input_prompt_number == null ? ' ' : c.input_prompt_number) + ']: reply ' +
      (c.__browserTestStatus || 'none') + ': ' + c.get_text().split('\\n')[0] + (text ? '\\n' + text.trim() : ''));
  });
  return out;
})()`;

interface FigureState {
  /** Outputs holding plotly JSON, in cell order, and the first one's trace count. */
  figures: number;
  traces: number;
  title: string;
  /** Per trace type: visible traces in the first figure's JSON / `.<type>layer .trace` groups in the first plot. */
  expected: Record<string, number>;
  drawn: Record<string, number>;
  /** Marker points with finite x and y in the JSON / `path.point` drawn, over scatter traces with markers. */
  pointsExpected: number;
  pointsDrawn: number;
  /** Subplots referenced by the traces / drawn. */
  subplotsExpected: number;
  subplotsDrawn: number;
  plots: number;
  plotlyOutputs: number;
  imagesInPlotlyOutputs: number;
  plotSize: [number, number];
  drawnTitle: string;
  rendererMessage: string;
}

const FIGURE_STATE = `(() => {
  const MIME = 'application/vnd.plotly.v1+json';
  const figs = [];
  for (const cell of window.Jupyter.notebook.get_cells()) {
    const outputs = (cell.output_area && cell.output_area.outputs) || [];
    for (const o of outputs) if (o.data && o.data[MIME]) figs.push(o.data[MIME]);
  }
  const fig = figs[0] || { data: [], layout: {} };
  const layout = fig.layout || {};
  const expected = {};
  const subplots = new Set();
  let pointsExpected = 0;
  for (const tr of fig.data || []) {
    if (tr.visible === false || tr.visible === 'legendonly') continue;
    const type = tr.type || 'scatter';
    expected[type] = (expected[type] || 0) + 1;
    subplots.add((tr.xaxis || 'x') + (tr.yaxis || 'y'));
    if (type === 'scatter' && String(tr.mode || 'markers').includes('markers')) {
      const xs = tr.x || [], ys = tr.y || [];
      for (let i = 0; i < ys.length; i++) {
        if (ys[i] !== null && Number.isFinite(Number(ys[i])) && xs[i] !== null && Number.isFinite(Number(xs[i]))) pointsExpected++;
      }
    }
  }
  const plots = Array.from(document.querySelectorAll('.js-plotly-plot'));
  const first = plots[0];
  const drawn = {};
  for (const type of Object.keys(expected)) drawn[type] = first ? first.querySelectorAll('.' + type + 'layer .trace').length : 0;
  const rect = first ? first.getBoundingClientRect() : { width: 0, height: 0 };
  const t = layout.title;
  const gtitle = first && first.querySelector('.gtitle');
  return {
    figures: figs.length,
    traces: (fig.data || []).length,
    title: String((t && typeof t === 'object' ? t.text : t) || ''),
    expected,
    drawn,
    pointsExpected,
    pointsDrawn: first ? first.querySelectorAll('.scatterlayer .trace .points path.point').length : 0,
    subplotsExpected: subplots.size,
    subplotsDrawn: first ? first.querySelectorAll('.cartesianlayer > .subplot').length : 0,
    plots: plots.length,
    plotlyOutputs: document.querySelectorAll('.output_plotly').length,
    imagesInPlotlyOutputs: document.querySelectorAll('.output_plotly img').length,
    plotSize: [Math.round(rect.width), Math.round(rect.height)],
    drawnTitle: gtitle ? gtitle.textContent : '',
    rendererMessage: Array.from(document.querySelectorAll('.plotly-mime-figure'))
      .map((e) => (e.classList.contains('js-plotly-plot') ? '' : e.textContent))
      .join(' ')
      .trim(),
  };
})()`;

const sameCounts = (a: Record<string, number>, b: Record<string, number>): boolean =>
  Object.keys(a).length === Object.keys(b).length && Object.keys(a).every((k) => a[k] === b[k]);

// ---- the test ----

test(
  `classic Notebook UI in headless Chromium: Run All on ${NOTEBOOK} draws the plotly chart`,
  { timeout: RUN_ALL_MS + 5 * 60_000, skip: skipReason() },
  async (t: TestContext) => {
    const t0 = Date.now();
    const elapsed = (): string => `${((Date.now() - t0) / 1000).toFixed(1)} s`;
    const baseline = new Set(descendants(process.pid).map(key)); // e.g. tsx's esbuild service
    const dir = path.join(root, 'notebooks', `.browser-test-${process.pid}`);
    const nbRel = path.posix.join('notebooks', path.basename(dir), path.basename(NOTEBOOK));
    const stderrLog = path.join(os.tmpdir(), `unlearn-browser-test-kernel-${process.pid}.log`);
    const token = randomBytes(24).toString('hex');
    const serverLog = new Tail();
    const pageLog = new Tail(4000);
    let server: ChildProcess | undefined;
    let serverExit: Promise<void> = Promise.resolve();
    let browser: Browser | undefined;
    let page: Page | undefined;
    // Last resort if the test process exits without reaching `finally`: the kernel runs in its own session, so
    // kill the server's descendants by pid too.
    const killServerOnExit = (): void => {
      if (!server?.pid || server.exitCode !== null || server.signalCode !== null) return;
      for (const p of [...descendants(server.pid), { pid: server.pid }]) {
        try {
          process.kill(p.pid, 'SIGKILL');
        } catch {
          // gone
        }
      }
    };
    process.on('exit', killServerOnExit);

    const kernelStderr = (): string => {
      try {
        return fs.readFileSync(stderrLog, 'utf8').split('::unlearn-kernel:execute::').join('--- next cell ---').trim() || '(empty)';
      } catch {
        return '(no log)';
      }
    };
    const diagnostics = async (): Promise<string> => {
      let state = '(no page)';
      if (page) state = JSON.stringify(await page.evaluate(PAGE_STATE).catch((e: Error) => `page.evaluate failed: ${e.message}`));
      return (
        `page state: ${state}\n` +
        `--- notebook server (tail) ---\n${indent(serverLog.toString())}\n` +
        `--- kernel stderr ---\n${indent(kernelStderr().slice(-4000))}\n` +
        `--- browser console errors (tail) ---\n${indent(pageLog.toString())}`
      );
    };

    let mainError: unknown;
    try {
      // 1. A copy of the notebook in a hidden subfolder of notebooks/ (under the repo root, as tslab needs; not
      //    matched by notebooks/*.ipynb globs; removed in finally).
      fs.mkdirSync(dir, { recursive: true });
      fs.copyFileSync(path.join(root, NOTEBOOK), path.join(dir, path.basename(NOTEBOOK)));

      // 2. The notebook server, started the way `npm run notebook` does (project-local Jupyter env, nbextension
      //    enabled idempotently, --allow-root as root). A fixed port (no silent fallback to the next one).
      const port = await freePort();
      server = spawn(
        'bash',
        [
          'scripts/notebook.sh',
          '--no-browser',
          '--ip=127.0.0.1',
          `--port=${port}`,
          '--NotebookApp.port_retries=0',
          `--NotebookApp.token=${token}`,
          // Notebook 6 refuses files in hidden folders by default (404).
          '--ContentsManager.allow_hidden=True',
        ],
        {
          cwd: root,
          env: { ...process.env, UNLEARN_PROFILE: 'smoke', UNLEARN_KERNEL_STDERR: stderrLog, PYDEVD_DISABLE_FILE_VALIDATION: '1' },
          stdio: ['ignore', 'pipe', 'pipe'],
        },
      );
      server.stdout!.on('data', (c: Buffer) => serverLog.push(c));
      server.stderr!.on('data', (c: Buffer) => serverLog.push(c));
      const proc = server;
      serverExit = new Promise((resolve) => proc.once('exit', () => resolve()));
      const base = `http://127.0.0.1:${port}`;
      await waitFor(
        'notebook server did not start',
        SERVER_START_MS,
        async () => {
          if (proc.exitCode !== null || proc.signalCode !== null) {
            throw new Error(
              `notebook server exited (${proc.exitCode ?? proc.signalCode}) before answering:\n${indent(serverLog.toString())}`,
            );
          }
          const res = await fetch(`${base}/api/status`, { headers: { Authorization: `token ${token}` } }).catch(() => undefined);
          return res?.ok ? true : undefined;
        },
        () => `its output (tail):\n${indent(serverLog.toString())}`,
      );
      t.diagnostic(`notebook server on port ${port} after ${elapsed()}`);

      // 3. Chromium through playwright-core with the system executable.
      browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: [...chromiumArgs], timeout: 60_000 });
      page = await browser.newPage({ viewport: { width: 1400, height: 1000 } });
      page.on('console', (m) => {
        if (m.type() === 'error') pageLog.push(`console.error: ${m.text()}\n`);
      });
      page.on('pageerror', (e) => pageLog.push(`pageerror: ${e.message}\n`));
      const p = page;
      const pageState = async (): Promise<PageState> => (await p.evaluate(PAGE_STATE)) as PageState;

      // 4. Open the notebook; wait for the kernel to be connected, ready and idle.
      const url = `${base}/notebooks/${nbRel.split('/').map(encodeURIComponent).join('/')}?token=${token}`;
      const response = await page.goto(url, { waitUntil: 'domcontentloaded', timeout: PAGE_LOAD_MS });
      assert.equal(response?.status(), 200, `GET ${url.replace(token, '<token>')}: HTTP ${response?.status()}`);
      await waitFor('notebook page did not load', PAGE_LOAD_MS, async () => ((await pageState()).loaded ? true : undefined), diagnostics);
      await waitFor(
        'kernel did not become ready and idle',
        KERNEL_READY_MS,
        async () => {
          const s = await pageState();
          return s.kernelReady && s.idle ? true : undefined;
        },
        diagnostics,
      );
      t.diagnostic(`kernel ready after ${elapsed()}`);

      // 5. Cell > Run All; wait until every code cell has its reply, no prompt shows [*] and the kernel has stayed
      //    idle for a second. A dialog (e.g. "The kernel appears to have died") ends the wait early.
      const before = await pageState();
      assert.ok(before.codeCells > 0, 'the notebook has code cells');
      await page.evaluate(RUN_ALL);
      let idleSince = 0;
      let dialogSince = 0;
      let activity = '';
      let activeAt = Date.now();
      const done = await waitFor(
        `Run All did not finish`,
        RUN_ALL_MS,
        async () => {
          const s = await pageState();
          if (s.activity !== activity) [activity, activeAt] = [s.activity, Date.now()];
          if (Date.now() - activeAt > RUN_STALL_MS) {
            throw new Error(`Run All made no progress (no reply, no output change) for ${RUN_STALL_MS / 1000} s: ${await diagnostics()}`);
          }
          dialogSince = s.dialogs.length ? dialogSince || Date.now() : 0;
          if (dialogSince && Date.now() - dialogSince > 3000)
            throw new Error(`dialog during Run All: ${s.dialogs.join(' | ')}\n${await diagnostics()}`);
          if (s.running > 0 || !s.idle || s.replied < s.codeCells) {
            idleSince = 0;
            return undefined;
          }
          idleSince ||= Date.now();
          return Date.now() - idleSince >= 1000 ? s : undefined;
        },
        diagnostics,
        250,
      );
      t.diagnostic(`Run All finished after ${elapsed()}: replies ${JSON.stringify(done.statuses)}`);

      // 6. No failed cell: every reply 'ok', no error output, nothing that tslab only logs.
      const failed = (await page.evaluate(FAILED_CELLS)) as string[];
      assert.deepEqual(failed, [], `cells that did not run ok:\n${failed.map(indent).join('\n')}\n${await diagnostics()}`);
      assert.deepEqual(done.errors, [], `error outputs in the page:\n${done.errors.join('\n---\n')}\n${await diagnostics()}`);
      const log = kernelStderr();
      for (const [reason, pattern] of KERNEL_FAILURES) {
        assert.doesNotMatch(log, pattern, `${reason} in the kernel's stderr:\n${indent(log)}`);
      }

      // 7. The chart is drawn by the plotly-mime nbextension, with the traces the figure JSON describes.
      const figureState = async (): Promise<FigureState> => (await p.evaluate(FIGURE_STATE)) as FigureState;
      const initial = await figureState();
      assert.ok(initial.figures >= 1, `no application/vnd.plotly.v1+json output in the notebook\n${await diagnostics()}`);
      assert.ok(initial.traces > 0, 'the displayed figure has traces');
      let fig: FigureState;
      try {
        fig = await waitFor(
          'the plotly chart was not drawn',
          PLOT_DRAWN_MS,
          async () => {
            const s = await figureState();
            return s.plots >= s.figures && sameCounts(s.drawn, s.expected) && s.pointsDrawn === s.pointsExpected ? s : undefined;
          },
          async () => `figure state: ${JSON.stringify(await figureState())}\n${await diagnostics()}`,
        );
      } catch (e) {
        // Fall through to the assertions below for a precise message on what differs.
        t.diagnostic(String((e as Error).message).split('\n')[0]!);
        fig = await figureState();
      }
      const shot = path.join(os.tmpdir(), `notebook-browser-${path.basename(NOTEBOOK, '.ipynb')}-${process.pid}.png`);
      await page
        .locator('.js-plotly-plot')
        .first()
        .scrollIntoViewIfNeeded({ timeout: 5000 })
        .catch(() => undefined);
      await page.screenshot({ path: shot }); // the notebook scrolls inside #site: the viewport, scrolled to the chart
      console.log(`notebook-browser: screenshot ${shot}`);
      t.diagnostic(`screenshot: ${shot}`);

      const where = `figure state: ${JSON.stringify(fig)}`;
      assert.equal(fig.rendererMessage, '', `plotly-mime could not draw: ${fig.rendererMessage}`);
      assert.equal(fig.plotlyOutputs, fig.figures, `one .output_plotly per plotly output (nbextension not loaded?)\n${where}`);
      assert.equal(fig.plots, fig.figures, `one .js-plotly-plot per plotly output\n${where}`);
      assert.equal(fig.imagesInPlotlyOutputs, 0, `the PNG fallback is shown instead of the interactive chart\n${where}`);
      assert.deepEqual(fig.drawn, fig.expected, `SVG traces drawn (by type) vs traces in the figure JSON\n${where}`);
      assert.equal(fig.pointsDrawn, fig.pointsExpected, `marker points drawn vs points in the figure JSON\n${where}`);
      assert.equal(fig.subplotsDrawn, fig.subplotsExpected, `subplots drawn vs subplots the traces use\n${where}`);
      assert.ok(fig.plotSize[0] > 300 && fig.plotSize[1] > 200, `plot is visible with a real size\n${where}`);
      if (fig.title)
        assert.equal(
          fig.drawnTitle.replace(/\s+/g, ' ').trim(),
          fig.title
            .replace(/<[^>]*>/g, '')
            .replace(/\s+/g, ' ')
            .trim(),
          'drawn title',
        );
      t.diagnostic(
        `${fig.figures} figure(s); first: ${fig.traces} traces ${JSON.stringify(fig.expected)} in ${fig.subplotsDrawn} subplots, ` +
          `${fig.pointsDrawn} markers, ${fig.plotSize.join('x')} px; ${elapsed()}`,
      );
    } catch (e) {
      mainError = e;
      if (page) {
        const shot = path.join(os.tmpdir(), `notebook-browser-failed-${process.pid}.png`);
        if (
          await page.screenshot({ path: shot, timeout: 10_000 }).then(
            () => true,
            () => false,
          )
        )
          t.diagnostic(`screenshot of the failure: ${shot}`);
      }
      throw e;
    } finally {
      // 8. Cleanup: Chromium, then the server (SIGTERM: it shuts its kernels down), then prove every process the
      //    test started (server, kernel, the kernel's PNG Chromium, our Chromium) is gone; remove the copy.
      const problems: string[] = [];
      const started = descendants(process.pid).filter((p) => !baseline.has(key(p)));
      if (browser) await Promise.race([browser.close().catch(() => undefined), deadline(10_000)]);
      if (server && server.exitCode === null && server.signalCode === null) {
        server.kill('SIGTERM');
        const stopped = await Promise.race([serverExit.then(() => true), deadline(SHUTDOWN_MS).then(() => false)]);
        if (!stopped) {
          problems.push(`notebook server did not stop within ${SHUTDOWN_MS / 1000} s of SIGTERM; killed`);
          server.kill('SIGKILL');
          await Promise.race([serverExit, deadline(5000)]);
        }
      }
      const until = Date.now() + 10_000;
      let left = started.filter(isAlive);
      while (left.length && Date.now() < until) {
        await sleep(200);
        left = left.filter(isAlive);
      }
      if (left.length) {
        problems.push(
          `processes still running after cleanup (killed now):\n${left.map((p) => `    ${p.pid} ${p.cmd.slice(0, 160)}`).join('\n')}`,
        );
        for (const p of left) {
          try {
            process.kill(p.pid, 'SIGKILL');
          } catch {
            // already gone
          }
        }
      }
      process.off('exit', killServerOnExit);
      fs.rmSync(dir, { recursive: true, force: true });
      fs.rmSync(stderrLog, { force: true });
      if (fs.existsSync(dir)) problems.push(`could not remove ${dir}`);
      const kinds = (re: RegExp): number => started.filter((p) => re.test(p.cmd)).length;
      t.diagnostic(
        `cleanup done after ${elapsed()}: ${started.length} processes had been started (notebook server ${kinds(/-m notebook/)}, ` +
          `kernel ${kinds(/unlearn-tslab\/start\.js/)}, chromium ${kinds(/chromium/)}); ${left.length ? `${left.length} left over` : 'all gone'}`,
      );
      // Report cleanup problems only when the test itself passed (never mask the first failure).
      if (problems.length && mainError === undefined) assert.fail(problems.join('\n'));
    }
  },
);
