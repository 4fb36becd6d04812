#!/usr/bin/python3
"""Headless notebook runner for the project's tslab kernel (follows nbclient 0.7's NotebookClient.async_execute).

Runs each notebook top to bottom with the kernel jupyter/kernels/unlearn-tslab and fails (exit 1), printing the
failing cell's source and the kernel's stderr, when a cell errors, times out or kills the kernel, when tslab
prints a TypeScript diagnostic, or when the kernel logs an UnhandledPromiseRejection / UncaughtException
(tslab only logs those, and the cell passes). The kernel's stderr comes from the start script's tee
(UNLEARN_KERNEL_STDERR), split into one segment per executed cell.

Usage (Debian's Python, which has nbclient):
    /usr/bin/python3 scripts/run-notebooks.py [--profile smoke|cpu|cpu-fmnist|paper] [--inplace] [--timeout S] NB.ipynb...

--profile is passed to the kernel as UNLEARN_PROFILE (default: $UNLEARN_PROFILE, else smoke).
--inplace saves the executed notebook (outputs, execution counts cleared) back, only when it passed.
--timings-json FILE writes {"profile", "notebooks": [{"path", "seconds"}]} with each passing notebook's wall time
(kernel start included), written atomically at the end; scripts/reproduce.sh records it with `unlearn run-times`.
Exit codes: 0 all passed, 1 a notebook failed, 2 bad usage.
"""
import argparse
import asyncio
import copy
import inspect
import json
import math
import os
import re
import sys
import tempfile
import time
import traceback

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
KERNEL_NAME = 'unlearn-tslab'
EXECUTE_MARKER = '::unlearn-kernel:execute::'  # written by jupyter/kernels/unlearn-tslab/start.js
# The names of lib/experiment/profiles.ts, in its order (test/profiles.test.ts checks that they agree).
PROFILES = ('smoke', 'cpu', 'cpu-fmnist', 'paper')
DEFAULT_TIMEOUT = {'smoke': 600, 'cpu': 6 * 3600, 'cpu-fmnist': 6 * 3600, 'paper': 0}

# Failure patterns in the kernel's stderr. tslab prints diagnostics as "[file ]line:col - message".
FAILURE_PATTERNS = [
    ('TypeScript error', re.compile(r'^(?:\S+ )?\d+:\d+ - ', re.M)),
    ('unhandled promise rejection', re.compile(r'UnhandledPromiseRejection')),
    ('uncaught exception', re.compile(r'UncaughtException')),
]


def setup_environment():
    """Same variables as scripts/jupyter-env.sh, so nothing is written under the home folder."""
    paths = [os.path.join(ROOT, 'jupyter')] + [p for p in os.environ.get('JUPYTER_PATH', '').split(os.pathsep) if p]
    os.environ['JUPYTER_PATH'] = os.pathsep.join(dict.fromkeys(paths))
    for var, sub in [('JUPYTER_CONFIG_DIR', 'config'), ('JUPYTER_DATA_DIR', 'data'),
                     ('JUPYTER_RUNTIME_DIR', 'runtime'), ('IPYTHONDIR', 'ipython')]:
        os.environ.setdefault(var, os.path.join(ROOT, '.jupyter', sub))
        os.makedirs(os.environ[var], exist_ok=True)
    os.environ.setdefault('PYDEVD_DISABLE_FILE_VALIDATION', '1')


setup_environment()

try:
    import nbformat
    from nbclient import NotebookClient
    from nbclient.exceptions import CellExecutionError, CellTimeoutError, DeadKernelError
except ImportError as e:  # pragma: no cover
    sys.exit(f'run-notebooks: {e}; run it with Debian\'s /usr/bin/python3 '
             '(apt-get install -y --no-install-recommends python3-nbclient jupyter-nbformat)')


class NotebookFailure(Exception):
    def __init__(self, reason, cell_index=None, cell_source='', stderr=''):
        super().__init__(reason)
        self.reason, self.cell_index, self.cell_source, self.stderr = reason, cell_index, cell_source, stderr


COMPACT_MIME = ('application/vnd.plotly.v1+json',)


def compact_notebook_json(nb):
    """The notebook as nbformat writes it (validated, indent 1), except that plotly figure outputs are kept on one
    line each: indenting their nested number arrays one value per line triples a figure's size. Jupyter reads
    both forms alike."""
    nb = copy.deepcopy(nb)
    figures = []
    for cell in nb.cells:
        for out in cell.get('outputs', []):
            for mime in COMPACT_MIME:
                if mime in out.get('data', {}):
                    figures.append(json.dumps(out['data'][mime], ensure_ascii=False, separators=(',', ':')))
                    out['data'][mime] = f'@@compact-{len(figures) - 1}@@'
    text = nbformat.writes(nb)
    for i, fig in enumerate(figures):
        text = text.replace(json.dumps(f'@@compact-{i}@@'), fig, 1)
    return text + '\n'


def read_segments(log_file):
    """Kernel stderr split at each execute marker: [preamble, 1st executed cell, 2nd, ...]."""
    try:
        with open(log_file, encoding='utf-8', errors='replace') as f:
            text = f.read()
    except FileNotFoundError:
        return ['']
    return [s.strip('\n') for s in text.split('\n' + EXECUTE_MARKER + '\n')]


def find_failure(text):
    for reason, pattern in FAILURE_PATTERNS:
        if pattern.search(text):
            return reason
    return None


async def maybe_await(x):
    return await x if inspect.isawaitable(x) else x


async def run_notebook(path, args):
    """Executes one notebook; returns (nb, timings) or raises NotebookFailure."""
    nb = nbformat.read(path, as_version=4)
    fd, log_file = tempfile.mkstemp(prefix='kernel-stderr-', suffix='.log', dir=os.environ['JUPYTER_RUNTIME_DIR'])
    os.close(fd)
    os.environ['UNLEARN_KERNEL_STDERR'] = log_file
    os.environ['UNLEARN_PROFILE'] = args.profile
    timeout = args.timeout if args.timeout is not None else DEFAULT_TIMEOUT[args.profile]
    executed = []  # (cell index) of each executed code cell, in order
    timings = {'kernel_start': 0.0, 'cells': []}
    current = None
    try:
        client = NotebookClient(nb, kernel_name=KERNEL_NAME, timeout=math.ceil(timeout) or None, record_timing=False,
                                resources={'metadata': {'path': os.path.dirname(os.path.abspath(path))}})
        t0 = time.monotonic()
        async with client.async_setup_kernel():
            info = await client.async_wait_for_reply(await maybe_await(client.kc.kernel_info()))
            if info and 'language_info' in info['content']:
                nb.metadata['language_info'] = info['content']['language_info']
            timings['kernel_start'] = time.monotonic() - t0
            for index, cell in enumerate(nb.cells):
                if cell.cell_type != 'code' or not cell.source.strip():
                    continue
                current = index
                executed.append(index)
                t = time.monotonic()
                await client.async_execute_cell(cell, index, execution_count=len(executed))
                timings['cells'].append((index, time.monotonic() - t))
                if args.verbose:
                    print(f'  cell {index + 1}: {time.monotonic() - t:.2f} s', file=sys.stderr)
                check_log(nb, log_file, executed)
            current = None
            # A silent empty execution marks the end of the last cell's stderr segment.
            reply = await client.async_wait_for_reply(await maybe_await(client.kc.execute('', silent=True, store_history=False)))
            if reply is None:
                await asyncio.sleep(0.5)
            check_log(nb, log_file, executed)
    except NotebookFailure:
        raise
    except (CellExecutionError, CellTimeoutError, DeadKernelError) as e:
        # The kernel has been shut down by now, so its stderr log is complete.
        segments = read_segments(log_file)
        stderr = segments[len(executed)] if current is not None and len(segments) > len(executed) else '\n'.join(segments)
        if isinstance(e, CellTimeoutError):
            reason = f'cell timed out after {timeout} s'
        elif isinstance(e, DeadKernelError):
            reason = 'kernel died'
        else:
            reason = find_failure(stderr) or 'cell raised an error'
        source = nb.cells[current].source if current is not None else ''
        outputs = '' if stderr.strip() else cell_stream_text(nb.cells[current]) if current is not None else ''
        raise NotebookFailure(reason, current, source, stderr or outputs or str(e))
    finally:
        try:
            os.unlink(log_file)
        except OSError:
            pass
    return nb, timings


def cell_stream_text(cell):
    return ''.join(o.get('text', '') for o in cell.get('outputs', []) if o.get('output_type') == 'stream')


def check_log(nb, log_file, executed):
    """Raises NotebookFailure for the first executed cell whose stderr segment matches a failure pattern.

    Segment k+1 belongs to the k-th executed cell (the last one may still grow until the next execute).
    """
    segments = read_segments(log_file)
    preamble = segments[0]
    if find_failure(preamble):
        raise NotebookFailure(f'kernel start: {find_failure(preamble)}', None, '', preamble)
    for k, index in enumerate(executed):
        if k + 1 >= len(segments):
            break
        reason = find_failure(segments[k + 1])
        if reason:
            raise NotebookFailure(reason, index, nb.cells[index].source, segments[k + 1])


def clear_execution_counts(nb):
    for cell in nb.cells:
        if cell.cell_type == 'code':
            cell.execution_count = None
            for out in cell.get('outputs', []):
                if 'execution_count' in out:
                    out['execution_count'] = None
    nb.metadata['kernelspec'] = {'name': KERNEL_NAME, 'display_name': 'TypeScript (unlearn, tslab)',
                                 'language': 'typescript'}


def sign(path):
    """Trusts a notebook this runner just executed (signature in the project's .jupyter/data), so Notebook 6 renders its
    saved markdown and HTML outputs instead of raw text."""
    try:
        from nbformat.sign import NotebookNotary
        NotebookNotary().sign(nbformat.read(path, as_version=4))
    except Exception as e:  # pragma: no cover - signing is a convenience
        print(f'run-notebooks: could not sign {path}: {e}', file=sys.stderr)


def indent(text):
    return '\n'.join('    ' + line for line in text.rstrip('\n').split('\n'))


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    ap.add_argument('notebooks', nargs='+', help='notebook files (.ipynb)')
    ap.add_argument('--profile', choices=PROFILES, default=os.environ.get('UNLEARN_PROFILE') or 'smoke',
                    help='experiment profile, passed to the kernel as UNLEARN_PROFILE (default: smoke)')
    ap.add_argument('--inplace', action='store_true',
                    help='save outputs back into each notebook that passed (execution counts cleared)')
    ap.add_argument('--timeout', type=float, default=None,
                    help='per-cell timeout in seconds, 0 = none (default: smoke 600, cpu and cpu-fmnist 21600, paper none)')
    ap.add_argument('--verbose', '-v', action='store_true', help='print each cell\'s wall time')
    ap.add_argument('--timings-json', metavar='FILE', default=None,
                    help='write each passing notebook\'s wall time to FILE (JSON), for `unlearn run-times record`')
    args = ap.parse_args(argv)
    if args.profile not in PROFILES:
        ap.error(f'UNLEARN_PROFILE={args.profile!r} is not one of {", ".join(PROFILES)}')
    missing = [p for p in args.notebooks if not os.path.isfile(p)]
    if missing:
        ap.error('no such notebook: ' + ', '.join(missing))

    failed = 0
    passed = []  # {'path', 'seconds'} of each notebook that passed, in run order
    for path in args.notebooks:
        print(f'run-notebooks: {path} (profile {args.profile})', file=sys.stderr, flush=True)
        t = time.monotonic()
        try:
            nb, timings = asyncio.run(run_notebook(path, args))
        except NotebookFailure as f:
            failed += 1
            where = f'cell {f.cell_index + 1}' if f.cell_index is not None else 'kernel'
            print(f'FAIL {path}: {where}: {f.reason} ({time.monotonic() - t:.1f} s)', file=sys.stderr)
            if f.cell_source:
                print(f'--- {where} source ---\n{indent(f.cell_source)}', file=sys.stderr)
            print(f'--- kernel stderr ---\n{indent(f.stderr or "(empty)")}', file=sys.stderr, flush=True)
            continue
        except Exception:  # the runner or Jupyter itself failed (kernel did not start, bad notebook file...)
            failed += 1
            print(f'FAIL {path}: {traceback.format_exc()}', file=sys.stderr, flush=True)
            continue
        wall = time.monotonic() - t
        passed.append({'path': path, 'seconds': round(wall, 1)})
        slow = sorted(timings['cells'], key=lambda c: -c[1])[:3]
        slow_text = ', '.join(f'cell {i + 1} {s:.1f} s' for i, s in slow)
        print(f'ok   {path}: {wall:.1f} s wall (kernel start {timings["kernel_start"]:.1f} s, '
              f'{len(timings["cells"])} code cells; slowest: {slow_text or "-"})', file=sys.stderr, flush=True)
        if args.inplace:
            clear_execution_counts(nb)
            tmp = f'{path}.tmp-{os.getpid()}'
            with open(tmp, 'w', encoding='utf-8') as f:
                f.write(compact_notebook_json(nb))
            os.replace(tmp, path)
            sign(path)
    if args.timings_json:
        write_timings(args.timings_json, args.profile, passed)
    if failed:
        print(f'run-notebooks: {failed} of {len(args.notebooks)} notebook(s) failed', file=sys.stderr)
    return 1 if failed else 0


def write_timings(file, profile, passed):
    """Writes the passing notebooks' wall times as JSON, atomically (temporary file, then rename)."""
    tmp = f'{file}.tmp-{os.getpid()}'
    with open(tmp, 'w', encoding='utf-8') as f:
        json.dump({'profile': profile, 'notebooks': passed}, f, indent=1)
        f.write('\n')
    os.replace(tmp, file)


if __name__ == '__main__':
    sys.exit(main())
