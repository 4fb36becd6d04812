// Decodes JPEG/PNG bytes to raw HWC uint8 pixels with sharp (libvips), in a pool of child processes
// (libvips scales poorly across threads of one process on small images) or in-process for small jobs.
import { spawn, ChildProcess } from 'child_process';
import * as os from 'os';
import sharp from 'sharp';
import { DataError } from '../util/errors';
import { readImageHeader } from './image-header';

/** Target shape of decoded images. */
export interface DecodeSpec {
  width: number;
  height: number;
  /** 3 = sRGB, 1 = grey (sharp colourspace 'b-w'); alpha is dropped. */
  channels: 1 | 3;
  /**
   * Resize every image to width x height with this sharp `fit` (default false: every image must
   * already have this size, else the decode fails naming the file).
   */
  resize?: false | 'fill' | 'cover' | 'contain';
}

/** Options of decodeImages. */
export interface DecodeOptions {
  /** Child processes to decode in (default: number of CPUs, at most 8); 0 = decode in this process. */
  workers?: number;
  /** Fewer images than this are decoded in-process (default 2000: a worker costs ~0.2 s to start). */
  minParallel?: number;
  /** Images per job sent to a worker (default 500). */
  chunkSize?: number;
  /** Concurrent sharp calls per process (default 2). */
  concurrency?: number;
  /** Decode runs of same-size JPEGs with one sharp call (default true; identical pixels, less CPU). */
  join?: boolean;
  /** Called as jobs finish with (images done, total). */
  onProgress?: (done: number, total: number) => void;
}

/** One encoded image; `name` is used in error messages. */
export interface EncodedImage {
  name: string;
  data: Uint8Array;
}

// The per-image pipeline, as JavaScript source so the in-process path and the worker processes run
// exactly the same code whatever compiles this TypeScript file.
const DECODE_ONE_SOURCE = `async function decodeOne(sharp, buf, spec) {
  let img = sharp(buf);
  if (spec.resize) img = img.resize(spec.width, spec.height, { fit: spec.resize });
  img = spec.channels === 1 ? img.toColourspace('b-w') : img.toColourspace('srgb');
  const { data, info } = await img.removeAlpha().raw().toBuffer({ resolveWithObject: true });
  if (info.width !== spec.width || info.height !== spec.height || info.channels !== spec.channels) {
    throw new Error('decoded to ' + info.width + 'x' + info.height + 'x' + info.channels +
      ', expected ' + spec.width + 'x' + spec.height + 'x' + spec.channels +
      (spec.resize ? '' : ' (pass a resize option to resize images)'));
  }
  return data;
}`;

// Decodes job.buffers into one Buffer; reports the index of the first failure. Runs of images marked
// joinable (JPEGs whose header says they already have the target size and channel count) are decoded
// by one sharp call each (libvips arrayjoin stacks them vertically: exactly consecutive HWC images),
// which costs ~25% less CPU than one call per image; any failure there falls back to per-image decoding.
const DECODE_JOB_SOURCE = `async function decodeJob(sharp, decodeOne, buffers, joinable, spec, concurrency) {
  const size = spec.width * spec.height * spec.channels;
  const out = Buffer.alloc(buffers.length * size);
  const asBuf = (b) => Buffer.from(b.buffer, b.byteOffset, b.byteLength);
  const tasks = [];
  for (let i = 0; i < buffers.length;) {
    let j = i;
    if (joinable[i]) while (j < buffers.length && joinable[j] && j - i < 256) j++;
    if (j - i >= 2) { tasks.push([i, j]); i = j; } else { tasks.push([i, i + 1]); i++; }
  }
  let next = 0;
  let failure = null;
  const single = async (i) => {
    try {
      const px = await decodeOne(sharp, asBuf(buffers[i]), spec);
      px.copy(out, i * size);
    } catch (e) {
      if (failure === null || i < failure.index) failure = { index: i, message: String(e && e.message || e) };
    }
  };
  const lane = async () => {
    while (failure === null && next < tasks.length) {
      const [a, b] = tasks[next++];
      if (b - a === 1) { await single(a); continue; }
      let ok = false;
      try {
        let img = sharp(buffers.slice(a, b).map(asBuf), { join: { across: 1 } });
        img = spec.channels === 1 ? img.toColourspace('b-w') : img.toColourspace('srgb');
        const { data, info } = await img.removeAlpha().raw().toBuffer({ resolveWithObject: true });
        if (info.width === spec.width && info.height === spec.height * (b - a) && info.channels === spec.channels) {
          data.copy(out, a * size);
          ok = true;
        }
      } catch (e) { /* fall back to one call per image, which names the failing image */ }
      if (!ok) for (let i = a; i < b && failure === null; i++) await single(i);
    }
  };
  const lanes = [];
  for (let k = 0; k < Math.max(1, concurrency); k++) lanes.push(lane());
  await Promise.all(lanes);
  return failure === null ? { ok: true, data: out } : { ok: false, index: failure.index, message: failure.message };
}`;

const WORKER_SOURCE = `'use strict';
const sharp = require(process.env.UNLEARN_SHARP_PATH);
sharp.cache(false);
const decodeOne = ${DECODE_ONE_SOURCE};
const decodeJob = ${DECODE_JOB_SOURCE};
process.on('message', async (job) => {
  let r;
  try {
    r = await decodeJob(sharp, decodeOne, job.buffers, job.joinable, job.spec, job.concurrency);
  } catch (e) {
    r = { ok: false, index: 0, message: 'decoder failed: ' + String(e && e.message || e) };
  }
  process.send(Object.assign({ id: job.id }, r));
});
process.on('disconnect', () => process.exit(0));
`;

type JobResult = { ok: true; data: Uint8Array } | { ok: false; index: number; message: string };
type DecodeOneFn = (s: typeof sharp, buf: Buffer, spec: DecodeSpec) => Promise<Buffer>;
type DecodeJobFn = (s: typeof sharp, one: DecodeOneFn, buffers: Uint8Array[], joinable: Uint8Array,
  spec: DecodeSpec, concurrency: number) => Promise<JobResult>;

let inProcess: { one: DecodeOneFn; job: DecodeJobFn } | undefined;
function inProcessDecoder(): { one: DecodeOneFn; job: DecodeJobFn } {
  if (!inProcess) {
    const one = new Function(`return (${DECODE_ONE_SOURCE});`)() as DecodeOneFn;
    const job = new Function(`return (${DECODE_JOB_SOURCE});`)() as DecodeJobFn;
    inProcess = { one, job };
  }
  return inProcess;
}

/**
 * Decodes one image to raw HWC bytes with the same pipeline decodeImages uses.
 * @example
 * const px = await decodeImage(fs.readFileSync('0000.jpg'), { width: 32, height: 32, channels: 3 });
 */
export async function decodeImage(data: Uint8Array, spec: DecodeSpec): Promise<Uint8Array> {
  const buf = Buffer.from(data.buffer, data.byteOffset, data.byteLength);
  return inProcessDecoder().one(sharp, buf, spec);
}

interface Job {
  id: number;
  start: number;
  buffers: Uint8Array[];
  /** 1 where the header shows a JPEG of exactly the target size and channel count. */
  joinable: Uint8Array;
}

function isJoinable(data: Uint8Array, spec: DecodeSpec): boolean {
  if (spec.resize) return false;
  const h = readImageHeader(data);
  return h !== undefined && h.format === 'jpeg' && h.width === spec.width && h.height === spec.height &&
    h.channels === spec.channels;
}

/**
 * Decodes many images into one N*H*W*C array (image k at offset k*H*W*C). Throws a DataError
 * naming `source` and the image's name if one cannot be decoded or has the wrong size.
 * @example
 * const px = await decodeImages(files.map((f) => ({ name: f.path, data: f.data })),
 *   { width: 32, height: 32, channels: 3 }, 'cifar10-jpeg.tar.gz');
 */
export async function decodeImages(
  images: readonly EncodedImage[],
  spec: DecodeSpec,
  source: string,
  opts: DecodeOptions = {},
): Promise<Uint8Array> {
  const size = spec.width * spec.height * spec.channels;
  const out = new Uint8Array(images.length * size);
  const chunkSize = Math.max(1, opts.chunkSize ?? 500);
  const concurrency = opts.concurrency ?? 2;
  const jobs: Job[] = [];
  for (let s = 0, id = 0; s < images.length; s += chunkSize, id++) {
    const buffers = images.slice(s, s + chunkSize).map((im) => im.data);
    const joinable = Uint8Array.from(buffers, (b) => (opts.join !== false && isJoinable(b, spec) ? 1 : 0));
    jobs.push({ id, start: s, buffers, joinable });
  }
  let done = 0;
  opts.onProgress?.(0, images.length);
  const finish = (job: Job, r: JobResult): void => {
    if (r.ok === false) {
      throw new DataError(source, `${images[job.start + r.index].name}: cannot decode image: ${r.message}`);
    }
    out.set(r.data, job.start * size);
    done += job.buffers.length;
    opts.onProgress?.(done, images.length);
  };
  const workers = Math.min(opts.workers ?? Math.min(os.cpus().length, 8), jobs.length);
  const queue = jobs.slice();
  if (workers >= 1 && images.length >= (opts.minParallel ?? 2000)) {
    await runInWorkers(queue, workers, spec, concurrency, finish);
  }
  // In-process path: small inputs, workers = 0, or jobs left over because workers could not start.
  sharp.cache(false);
  const dec = inProcessDecoder();
  for (const job of queue) finish(job, await dec.job(sharp, dec.one, job.buffers, job.joinable, spec, concurrency));
  return out;
}

interface WorkerReply {
  id: number;
  ok: boolean;
  data?: Uint8Array;
  index?: number;
  message?: string;
}

/** Runs jobs from `queue` in child processes; jobs of a worker that dies go back on the queue. */
async function runInWorkers(
  queue: Job[],
  workers: number,
  spec: DecodeSpec,
  concurrency: number,
  finish: (job: Job, r: JobResult) => void,
): Promise<void> {
  const children: ChildProcess[] = [];
  let firstError: unknown;
  const lane = (): Promise<void> => new Promise((resolve) => {
    let child: ChildProcess;
    try {
      child = spawn(process.execPath, ['-e', WORKER_SOURCE], {
        stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
        serialization: 'advanced',
        env: { ...process.env, UNLEARN_SHARP_PATH: require.resolve('sharp') },
      });
    } catch {
      resolve();
      return;
    }
    children.push(child);
    let current: Job | undefined;
    let closed = false;
    const stop = (): void => {
      if (closed) return;
      closed = true;
      if (current) queue.unshift(current); // not finished: another lane or the in-process path redoes it
      current = undefined;
      if (child.connected) child.disconnect();
      resolve();
    };
    const sendNext = (): void => {
      current = firstError === undefined ? queue.shift() : undefined;
      if (!current) {
        stop();
        return;
      }
      child.send({ id: current.id, buffers: current.buffers, joinable: current.joinable, spec, concurrency }, (err) => {
        if (err) stop();
      });
    };
    child.on('message', (m: WorkerReply) => {
      const job = current;
      if (!job || m.id !== job.id) return;
      current = undefined;
      try {
        finish(job, m.ok
          ? { ok: true, data: m.data as Uint8Array }
          : { ok: false, index: m.index ?? 0, message: m.message ?? 'unknown error' });
      } catch (e) {
        if (firstError === undefined) firstError = e;
      }
      sendNext();
    });
    child.on('error', stop);
    child.on('exit', stop);
    sendNext();
  });
  try {
    await Promise.all(Array.from({ length: workers }, lane));
  } finally {
    for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill();
  }
  if (firstError !== undefined) throw firstError;
}
