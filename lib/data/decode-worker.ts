// A decode worker thread of lib/data/decode.ts: decodes each JobMessage it receives with decode-job.ts and posts
// the pixels back (transferred, not copied). Started by decode.ts with tsx's CommonJS loader (`--require tsx/cjs`),
// so it runs as TypeScript under tsx, the CLI and the tslab kernel alike.
import { parentPort } from 'worker_threads';
import sharp from 'sharp';
import { runJob, type JobMessage } from './decode-job';

if (!parentPort) throw new Error('lib/data/decode-worker.ts runs as a worker thread started by decodeImages');
const port = parentPort;
sharp.cache(false);
/** The result's memory moves to the main thread when it owns its whole ArrayBuffer (Buffer.alloc), else it is copied. */
const transferable = (d: Buffer): ArrayBuffer[] =>
  d.byteOffset === 0 && d.byteLength === d.buffer.byteLength ? [d.buffer as ArrayBuffer] : [];
port.on('message', (job: JobMessage) => {
  void runJob(sharp, job).then((r) => port.postMessage(r, r.ok ? transferable(r.data) : []));
});
