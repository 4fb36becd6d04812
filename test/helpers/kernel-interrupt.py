#!/usr/bin/python3
"""Kernel > Interrupt through Jupyter's kernel protocol (jupyter_client, as the Notebook UI sends it): a figure is
drawn (headless Chromium running), the idle kernel is interrupted, then a figure run is interrupted while it
trains in the kernel and again while sweep worker processes train. After each interrupt the kernel must answer
the next cell, the stopped cell must print nothing more, the store must stop growing and the workers must be
gone; a re-run reuses what was stored. Prints one JSON report on stdout; exit 1 when a check failed.

Usage: /usr/bin/python3 test/helpers/kernel-interrupt.py STORE_DIR RESULTS_DIR
STORE_DIR may hold a copy of the smoke store (then the run starts with the unlearning methods, not the originals).
"""
import json
import os
import queue
import re
import sys
import time

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
STORE, RESULTS = sys.argv[1], sys.argv[2]

os.environ['JUPYTER_PATH'] = os.path.join(ROOT, 'jupyter')
for var, sub in [('JUPYTER_CONFIG_DIR', 'config'), ('JUPYTER_DATA_DIR', 'data'), ('JUPYTER_RUNTIME_DIR', 'runtime'), ('IPYTHONDIR', 'ipython')]:
    os.environ[var] = os.path.join(ROOT, '.jupyter', sub)
    os.makedirs(os.environ[var], exist_ok=True)

from jupyter_client import KernelManager  # noqa: E402

report = {'checks': [], 'failed': []}


def check(name, ok, detail=''):
    print(f'{"ok  " if ok else "FAIL"} {name} {detail[:300] if not ok else ""}', file=sys.stderr, flush=True)
    report['checks'].append({'name': name, 'ok': bool(ok), 'detail': detail})
    if not ok:
        report['failed'].append(name)


def store_files():
    out = {}
    for d, _, files in os.walk(STORE):
        for f in files:
            p = os.path.join(d, f)
            try:
                out[os.path.relpath(p, STORE)] = os.path.getsize(p)
            except OSError:
                pass
    return out


def entries():
    return sorted(os.path.dirname(p) for p in store_files() if os.path.basename(p) == 'result.json')


def children(pid, needle):
    found = []
    for name in os.listdir('/proc'):
        if not name.isdigit():
            continue
        try:
            stat = open(f'/proc/{name}/stat').read()
            ppid = int(stat[stat.rindex(')') + 2:].split(' ')[1])
            cmd = open(f'/proc/{name}/cmdline').read().replace('\0', ' ')
        except OSError:
            continue
        if ppid == pid and needle in cmd and ' Z ' not in stat[stat.rindex(')'):stat.rindex(')') + 4]:
            found.append(int(name))
    return found


class Kernel:
    def __init__(self):
        env = dict(os.environ, UNLEARN_PROFILE='smoke', UNLEARN_STORE=STORE, UNLEARN_RESULTS=RESULTS)
        self.km = KernelManager(kernel_name='unlearn-tslab')
        self.km.start_kernel(env=env)
        self.kc = self.km.client()
        self.kc.start_channels()
        self.kc.wait_for_ready(timeout=90)
        self.pid = self.km.provisioner.process.pid
        self.late = []  # iopub messages of earlier cells that arrived after their reply

    def start(self, code):
        return self.kc.execute(code)

    def drain(self, msg_id, until_idle=True, timeout=60.0, on_wait=None):
        """Collects msg_id's iopub outputs until its 'idle' status (or `on_wait` returns True); records late ones."""
        outputs, deadline = [], time.monotonic() + timeout
        while time.monotonic() < deadline:
            if on_wait and on_wait(outputs):
                return outputs, 'stopped-waiting'
            try:
                msg = self.kc.get_iopub_msg(timeout=0.5)
            except queue.Empty:
                continue
            parent = msg['parent_header'].get('msg_id')
            if parent != msg_id:
                if msg['msg_type'] in ('stream', 'display_data', 'update_display_data', 'execute_result', 'error'):
                    self.late.append({'parent': parent, 'type': msg['msg_type'], 'content': str(msg['content'])[:300]})
                continue
            t = msg['msg_type']
            if t in ('stream', 'display_data', 'update_display_data', 'execute_result', 'error'):
                outputs.append({'type': t, 'content': msg['content'], 'at': time.monotonic()})
            if until_idle and t == 'status' and msg['content']['execution_state'] == 'idle':
                return outputs, 'idle'
        return outputs, 'timeout'

    def reply(self, msg_id, timeout=10.0):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            try:
                msg = self.kc.get_shell_msg(timeout=1)
            except queue.Empty:
                continue
            if msg['parent_header'].get('msg_id') == msg_id:
                return msg
        return None

    def run(self, code, timeout=90.0):
        msg_id = self.start(code)
        outputs, how = self.drain(msg_id, timeout=timeout)
        reply = self.reply(msg_id) if how == 'idle' else None
        return (reply['content']['status'] if reply else how), outputs

    def text(self, outputs):
        parts = []
        for o in outputs:
            c = o['content']
            parts.append(c.get('text') or json.dumps(c.get('data', {}).get('text/plain', '')) if 'data' in c else c.get('text', ''))
        return ''.join(p for p in parts if p)

    def close(self):
        self.kc.stop_channels()
        self.km.shutdown_kernel(now=False)


def interrupt_training(k, workers):
    """Starts a figure run, interrupts it once it trains, checks that everything stops."""
    t0 = time.monotonic()
    before = len(entries())
    # With workers, seeds the first case never touched: both cells are still to compute, so worker processes start
    # (the first case's interrupted cell may be locked or done, leaving one cell that could run in-process).
    seeds = ', seeds: [1]' if workers > 1 else ''
    code = (f"const run{workers} = await runFigure('fig1-privacy', {{ profile: profile, workers: {workers}{seeds}, progress: progress({{ intervalMs: 100 }}) }});\n"
            f"showMarkdown('finished ' + run{workers}.rows.length);")
    msg_id = k.start(code)

    first = {}

    def training(outputs):
        # Workers: a worker process training for 3 s. In-process: training steps reported for 2 s.
        busy = bool(children(k.pid, 'sweep')) if workers > 1 else 'loss=' in k.text(outputs)
        if busy:
            first.setdefault('t', time.monotonic())
            return time.monotonic() - first['t'] > (3 if workers > 1 else 2)
        return False

    outputs, how = k.drain(msg_id, timeout=180, on_wait=training)
    check(f'workers={workers}: training started before the interrupt', how == 'stopped-waiting', f'{how}; {k.text(outputs)[:1200]}')
    workers_before = children(k.pid, 'sweep')
    t_int = time.monotonic()
    k.km.interrupt_kernel()
    rest, how = k.drain(msg_id, timeout=30)
    reply = k.reply(msg_id) if how == 'idle' else None
    t_reply = time.monotonic()
    check(f'workers={workers}: the interrupted cell ends', reply is not None and reply['content']['status'] == 'error', f'{how} after {t_reply - t_int:.1f} s')
    check(f'workers={workers}: kernel alive after the interrupt', k.km.is_alive())
    text = k.text(outputs + rest)
    check(f'workers={workers}: the cell did not finish', not re.search(r'finished \d', text), text[-300:])
    check(f'workers={workers}: the interrupt is explained', 'Interrupted: the computation stops at its next step' in text, text[-300:])
    if workers > 1:
        check('workers=2: worker processes were running', len(workers_before) >= 1, str(workers_before))
        deadline = time.monotonic() + 10
        while children(k.pid, 'sweep') and time.monotonic() < deadline:
            time.sleep(0.2)
        check('workers=2: worker processes terminated', not children(k.pid, 'sweep'), str(children(k.pid, 'sweep')))
    # The store stops growing: no new file appears in the next seconds (a model finishing when the interrupt came is
    # written within the first second, which is still allowed).
    time.sleep(1.5)
    snap = store_files()
    status, out = k.run("console.log('alive ' + (1 + 1));", timeout=30)
    check(f'workers={workers}: the kernel answers the next cell', status == 'ok' and k.text(out).strip() == 'alive 2', f'{status}: {k.text(out)!r}')
    time.sleep(6)
    grown = sorted(set(store_files()) - set(snap))
    check(f'workers={workers}: the store stops growing', not grown, str(grown[:5]))
    report[f'workers{workers}'] = {'entries_before': before, 'entries_after': len(entries()), 'reply_s': round(t_reply - t_int, 2), 'run_s': round(t_int - t0, 1)}


def main():
    k = Kernel()
    try:
        # tslab 1.0.22 mis-compiles a cell with imports and a top-level await, and a shorthand property naming an earlier
        # cell's variable ({ profile }): imports get their own cell, as in the notebooks, and later cells write profile: profile.
        status, out = k.run("""
import { getProfile } from './lib/experiment/profiles';
import { show, showMarkdown, progress } from './lib/notebook/display';
import { runFigure } from './lib/figures/run';
import { sweep } from './lib/experiment/sweep';
const profile = getProfile();""", timeout=120)
        check('imports', status == 'ok', f'{status} {k.text(out)[-800:]}')
        status, out = k.run("""
await show({ data: [{ type: 'scatter', y: [1, 3, 2] }], layout: { title: { text: 'before the interrupt' } } });""", timeout=120)
        check('a figure is drawn (Chromium started)', status == 'ok' and any('image/png' in o['content'].get('data', {}) for o in out), f'{status} {k.text(out)[-800:]}')
        check('Chromium is running', bool(children(k.pid, 'chromium')), 'no chromium child of the kernel')
        # Interrupt while idle, with Chromium up: the kernel must survive.
        k.km.interrupt_kernel()
        time.sleep(1.5)
        status, out = k.run("console.log('idle ok');", timeout=30)
        check('idle interrupt: kernel answers', status == 'ok' and 'idle ok' in k.text(out), f'{status} {k.text(out)!r}')
        interrupt_training(k, workers=1)
        interrupt_training(k, workers=2)
        stored = len(entries())
        status, out = k.run("""
const one = { profile: profile, goal: 'privacy' as const, widths: [profile.widths[0]], seeds: [profile.seeds[0]], methods: [] };
const first = await sweep(one);  // finishes the interrupted original (or reuses it, when it was stored before)
const again = await sweep(one);
console.log('reused ' + again.filter((p) => p.computed === false).length + ' of ' + again.length);""", timeout=300)
        check('re-run resumes from the store', status == 'ok' and 'reused 1 of 1' in k.text(out), f'{status} {k.text(out)!r} ({stored} entries)')
        late = [m for m in k.late if m['type'] != 'status']
        check('nothing of a stopped cell printed later', not late, json.dumps(late)[:600])
        check('kernel alive at the end', k.km.is_alive())
    finally:
        try:
            k.close()
        finally:
            if k.km.is_alive():
                k.km.shutdown_kernel(now=True)
    print(json.dumps(report, indent=1))
    return 1 if report['failed'] else 0


if __name__ == '__main__':
    sys.exit(main())
