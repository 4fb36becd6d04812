// Decodes JPEG/PNG bytes to raw HWC uint8 pixels with sharp (libvips), in a pool of worker threads running
// decode-worker.ts, or in-process for small jobs; both run the pipeline of decode-job.ts.
import * as os from 'os';
import * as path from 'path';
import { Worker } from 'worker_threads';
import sharp from 'sharp';
import { DataError } from '../util/errors';
import { decodeJob, decodeOne, type DecodeSpec, type JobMessage, type JobReply, type JobResult } from './decode-job';
import { readImageHeader } from './image-header';

export type { DecodeSpec, JobMessage, JobReply } from './decode-job';

/** Options of decodeImages. */
export interface DecodeOptions {
  /** Worker threads to decode in (default: number of CPUs, at most 8); 0 = decode in this thread. */
  workers?: number;
  /** Fewer images than this are decoded in-process (default 2000: a worker costs ~0.2 s to start). */
  minParallel?: number;
  /** Images per job sent to a worker (default 500). */
  chunkSize?: number;
  /** Concurrent sharp calls per worker (default 2). */
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

/**
 * Decodes one image to raw HWC bytes with the same pipeline decodeImages uses.
 * @example
 * const px = await decodeImage(fs.readFileSync('0000.jpg'), { width: 32, height: 32, channels: 3 });
 */
export async function decodeImage(data: Uint8Array, spec: DecodeSpec): Promise<Uint8Array> {
  const buf = Buffer.from(data.buffer, data.byteOffset, data.byteLength);
  return decodeOne(sharp, buf, spec);
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
  return h !== undefined && h.format === 'jpeg' && h.width === spec.width && h.height === spec.height && h.channels === spec.channels;
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
  const finish = (job: Job, r: JobResult | JobReply): void => {
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
  for (const job of queue) finish(job, await decodeJob(sharp, job.buffers, job.joinable, spec, concurrency));
  return out;
}

/**
 * Starts one decode worker thread: decode-worker.ts with tsx's CommonJS loader, so it runs from TypeScript
 * whatever loaded this module (tsx's `--import` hooks, the CLI's `tsx/cjs`, or tslab's own compiler, which
 * workers do not inherit). The loader is given explicitly rather than inherited from the parent's execArgv
 * (under `node --test` that also holds the test runner's flags). Post it JobMessages; it answers JobReplies.
 * @example
 * const w = startDecodeWorker();
 * w.once('message', (r: JobReply) => console.log(r.ok)); w.postMessage({ id: 0, buffers, joinable, spec, concurrency: 2 });
 */
export function startDecodeWorker(): Worker {
  return new Worker(path.join(__dirname, 'decode-worker.ts'), { execArgv: ['--require', require.resolve('tsx/cjs')] });
}

/** Runs jobs from `queue` in worker threads; jobs of a worker that fails go back on the queue. */
async function runInWorkers(
  queue: Job[],
  workers: number,
  spec: DecodeSpec,
  concurrency: number,
  finish: (job: Job, r: JobReply) => void,
): Promise<void> {
  const threads: Worker[] = [];
  let firstError: unknown;
  const lane = (): Promise<void> =>
    new Promise((resolve) => {
      let worker: Worker;
      try {
        worker = startDecodeWorker();
      } catch {
        resolve();
        return;
      }
      threads.push(worker);
      let current: Job | undefined;
      let closed = false;
      const stop = (): void => {
        if (closed) return;
        closed = true;
        if (current) queue.unshift(current); // not finished: another lane or the in-process path redoes it
        current = undefined;
        void worker.terminate();
        resolve();
      };
      const sendNext = (): void => {
        current = firstError === undefined ? queue.shift() : undefined;
        if (!current) {
          stop();
          return;
        }
        const msg: JobMessage = { id: current.id, buffers: current.buffers, joinable: current.joinable, spec, concurrency };
        try {
          worker.postMessage(msg);
        } catch {
          stop();
        }
      };
      worker.on('message', (m: JobReply) => {
        const job = current;
        if (!job || m.id !== job.id) return;
        current = undefined;
        try {
          finish(job, m);
        } catch (e) {
          if (firstError === undefined) firstError = e;
        }
        sendNext();
      });
      worker.on('error', stop);
      worker.on('exit', stop);
      sendNext();
    });
  try {
    await Promise.all(Array.from({ length: workers }, lane));
  } finally {
    for (const t of threads) void t.terminate();
  }
  if (firstError !== undefined) throw firstError;
}
