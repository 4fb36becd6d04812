// The decode pipeline of lib/data/decode.ts: one JPEG/PNG to raw HWC uint8 pixels with sharp (libvips), and one
// job of images into a single buffer. The in-process path and the decode worker threads (decode-worker.ts) import
// this one module, so both run exactly the same code.
import type sharpModule from 'sharp';

/** The sharp module (passed in, so the worker and the main thread each use the instance they loaded). */
export type Sharp = typeof sharpModule;

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

/** A decoded job: all images' pixels, or the index (within the job) and message of the first failure. */
export type JobResult = { ok: true; data: Buffer } | { ok: false; index: number; message: string };

/** One job as the main thread sends it to a worker. */
export interface JobMessage {
  id: number;
  buffers: Uint8Array[];
  /** 1 where the header shows a JPEG of exactly the target size and channel count. */
  joinable: Uint8Array;
  spec: DecodeSpec;
  concurrency: number;
}

/** A worker's answer to one JobMessage (`data` as a plain Uint8Array after the thread transfer). */
export type JobReply = { id: number } & ({ ok: true; data: Uint8Array } | { ok: false; index: number; message: string });

const asBuf = (b: Uint8Array): Buffer => Buffer.from(b.buffer, b.byteOffset, b.byteLength);
const messageOf = (e: unknown): string => String((e as Error | undefined)?.message || e);

/**
 * Decodes one image to raw HWC bytes of exactly `spec`'s size (resized first if `spec.resize`), or throws saying
 * what size it decoded to.
 * @example
 * const px = await decodeOne(sharp, fs.readFileSync('0000.jpg'), { width: 32, height: 32, channels: 3 });
 */
export async function decodeOne(sharp: Sharp, buf: Buffer, spec: DecodeSpec): Promise<Buffer> {
  let img = sharp(buf);
  if (spec.resize) img = img.resize(spec.width, spec.height, { fit: spec.resize });
  img = spec.channels === 1 ? img.toColourspace('b-w') : img.toColourspace('srgb');
  const { data, info } = await img.removeAlpha().raw().toBuffer({ resolveWithObject: true });
  if (info.width !== spec.width || info.height !== spec.height || info.channels !== spec.channels) {
    throw new Error(
      'decoded to ' +
        info.width +
        'x' +
        info.height +
        'x' +
        info.channels +
        ', expected ' +
        spec.width +
        'x' +
        spec.height +
        'x' +
        spec.channels +
        (spec.resize ? '' : ' (pass a resize option to resize images)'),
    );
  }
  return data;
}

/** Index ranges [a, b) of the job: runs of up to 256 joinable images, single images otherwise. */
function tasksOf(joinable: Uint8Array, n: number): Array<[number, number]> {
  const tasks: Array<[number, number]> = [];
  for (let i = 0; i < n;) {
    let j = i;
    if (joinable[i]) while (j < n && joinable[j] && j - i < 256) j++;
    if (j - i >= 2) {
      tasks.push([i, j]);
      i = j;
    } else {
      tasks.push([i, i + 1]);
      i++;
    }
  }
  return tasks;
}

/** Decodes images a..b-1 with one sharp call (stacked vertically); false if that did not give b - a images of `spec`. */
async function decodeJoined(sharp: Sharp, buffers: Uint8Array[], a: number, b: number, spec: DecodeSpec, out: Buffer): Promise<boolean> {
  try {
    let img = sharp(buffers.slice(a, b).map(asBuf), { join: { across: 1 } });
    img = spec.channels === 1 ? img.toColourspace('b-w') : img.toColourspace('srgb');
    const { data, info } = await img.removeAlpha().raw().toBuffer({ resolveWithObject: true });
    if (info.width !== spec.width || info.height !== spec.height * (b - a) || info.channels !== spec.channels) return false;
    data.copy(out, a * spec.width * spec.height * spec.channels);
    return true;
  } catch {
    return false; // the caller falls back to one call per image, which names the failing image
  }
}

/**
 * Decodes `buffers` into one Buffer (image i at i*H*W*C) with `concurrency` sharp calls in flight; reports the
 * index of the first failure. Runs of images marked `joinable` (JPEGs whose header says they already have the
 * target size and channel count) are decoded by one sharp call each (libvips arrayjoin stacks them vertically:
 * exactly consecutive HWC images), which costs ~25% less CPU than one call per image; any failure there falls
 * back to per-image decoding.
 * @example
 * const r = await decodeJob(sharp, buffers, joinable, { width: 32, height: 32, channels: 3 }, 2);
 * if (r.ok) use(r.data); else console.log(`image ${r.index}: ${r.message}`);
 */
export async function decodeJob(
  sharp: Sharp,
  buffers: Uint8Array[],
  joinable: Uint8Array,
  spec: DecodeSpec,
  concurrency: number,
): Promise<JobResult> {
  const size = spec.width * spec.height * spec.channels;
  const out = Buffer.alloc(buffers.length * size);
  const tasks = tasksOf(joinable, buffers.length);
  let next = 0;
  let failure: { index: number; message: string } | null = null;
  const single = async (i: number): Promise<void> => {
    try {
      const px = await decodeOne(sharp, asBuf(buffers[i]), spec);
      px.copy(out, i * size);
    } catch (e) {
      if (failure === null || i < failure.index) failure = { index: i, message: messageOf(e) };
    }
  };
  const lane = async (): Promise<void> => {
    while (failure === null && next < tasks.length) {
      const [a, b] = tasks[next++];
      if (b - a === 1) {
        await single(a);
        continue;
      }
      const ok = await decodeJoined(sharp, buffers, a, b, spec, out);
      if (!ok) for (let i = a; i < b && failure === null; i++) await single(i);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, concurrency) }, lane));
  const f = failure as { index: number; message: string } | null;
  return f === null ? { ok: true, data: out } : { ok: false, index: f.index, message: f.message };
}

/**
 * Decodes one job message (what a worker does with each message); never throws.
 * @example
 * parentPort.on('message', async (job: JobMessage) => parentPort.postMessage(await runJob(sharp, job)));
 */
export async function runJob(sharp: Sharp, job: JobMessage): Promise<{ id: number } & JobResult> {
  try {
    return { id: job.id, ...(await decodeJob(sharp, job.buffers, job.joinable, job.spec, job.concurrency)) };
  } catch (e) {
    return { id: job.id, ok: false, index: 0, message: 'decoder failed: ' + messageOf(e) };
  }
}
