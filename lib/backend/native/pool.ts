// Reuse of kernel output buffers for the onednn backend: a size-keyed free list of ArrayBuffers that the
// native kernels allocated, returned when the last tensor referencing them is disposed (instead of waiting
// for V8's garbage collector, whose external-memory pressure GCs cost ~15% of a training step).
//
// The free lists hold at most twice as many bytes as were live at the recent peak (and at most the cap): a
// training step's buffers are all recycled by the next step, and so are an inference pass's, whose stages free
// their activations as they go (its buffers of all sizes add up to more than its live peak: at batch 500,
// ResNet-18 k = 8 peaks at 94 MiB live over 160 MiB of buffers), while a passing burst (an evaluation at batch
// 500 after training at 64) is not hoarded for long (idle buffers are swept). Over the limit the buffers freed
// longest ago go first, so a new working set (the evaluation's sizes) displaces the previous one instead of being
// refused and re-allocated batch after batch (each refusal is a fresh allocation: page faults and V8's
// external-memory-pressure collections).
//
// A buffer is reused only while nothing outside the backend can see it: its tensors' storage is counted
// (cpu kernels may alias it, e.g. Slice returns a subarray view), and a buffer handed out by readSync
// (dataSync/data/bufferSync) is disowned for good and left to the garbage collector.

/** Allocations between sweeps of free buffers that were not reused recently. */
const SWEEP_EVERY = 2048;

export class BufferPool {
  /** Buffers this pool handed out and may reuse, with the number of tensor storages referencing them. */
  private readonly owned = new WeakMap<ArrayBuffer, number>();
  /** Free buffers by byte length, with the allocation tick they were freed at. */
  private readonly free = new Map<number, { buf: ArrayBuffer; tick: number }[]>();
  private freeBytes = 0;
  private tick = 0;
  /** Bytes of owned buffers in use, and their peak in this and the previous sweep window. */
  private liveBytes = 0;
  private peakNow = 0;
  private peakBefore = 0;

  /** @param capBytes most bytes kept in free lists; @param maxIdle allocations a free buffer may wait. */
  constructor(
    readonly capBytes = 1 << 30,
    readonly maxIdle = 8 * SWEEP_EVERY,
  ) {}

  /** An uninitialised Float32Array of n elements (recycled or new, malloc without zero-filling). */
  alloc(n: number): Float32Array {
    const bytes = n * 4;
    if (++this.tick % SWEEP_EVERY === 0) this.sweep();
    const list = this.free.get(bytes);
    const hit = list?.pop();
    let buf: ArrayBuffer;
    if (hit) {
      buf = hit.buf;
      this.freeBytes -= bytes;
    } else {
      buf = Buffer.allocUnsafeSlow(bytes).buffer as ArrayBuffer;
    }
    this.owned.set(buf, 0);
    this.liveBytes += bytes;
    if (this.liveBytes > this.peakNow) this.peakNow = this.liveBytes;
    return new Float32Array(buf, 0, n);
  }

  /** A tensor storage now references `values` (MathBackendCPU.write/move). */
  retain(values: unknown): void {
    const buf = bufferOf(values);
    const refs = buf && this.owned.get(buf);
    if (refs !== undefined) this.owned.set(buf!, refs + 1);
  }

  /** A tensor storage referencing `values` was deleted; recycles the buffer when it was the last. */
  release(values: unknown): void {
    const buf = bufferOf(values);
    const refs = buf && this.owned.get(buf);
    if (refs === undefined) return;
    if (refs > 1) {
      this.owned.set(buf!, refs - 1);
      return;
    }
    this.owned.delete(buf!);
    this.liveBytes -= buf!.byteLength;
    if (buf!.byteLength > this.limitBytes) return;
    // Over the limit, the buffers freed longest ago make room (the one just freed is the likeliest reused next).
    while (this.freeBytes > 0 && this.freeBytes + buf!.byteLength > this.limitBytes) this.evictOldest();
    let list = this.free.get(buf!.byteLength);
    if (!list) this.free.set(buf!.byteLength, (list = []));
    list.push({ buf: buf!, tick: this.tick });
    this.freeBytes += buf!.byteLength;
  }

  /** `values` leaves the backend (readSync): never reuse its buffer. */
  expose(values: unknown): void {
    const buf = bufferOf(values);
    if (buf && this.owned.delete(buf)) this.liveBytes -= buf.byteLength;
  }

  /** Most free bytes kept now: twice the recent peak of live bytes (at least 64 MiB), at most the cap. */
  get limitBytes(): number {
    return Math.min(this.capBytes, Math.max(64 * 2 ** 20, 2 * Math.max(this.peakNow, this.peakBefore)));
  }

  /** Drops every free buffer (to the garbage collector). */
  clear(): void {
    this.free.clear();
    this.freeBytes = 0;
  }

  /** Bytes currently held in free lists. */
  get pooledBytes(): number {
    return this.freeBytes;
  }

  /** Drops the free buffer released longest ago (lists are in release order, oldest first; alloc may leave one empty). */
  private evictOldest(): void {
    let oldest: number | undefined;
    for (const [bytes, list] of this.free) {
      if (!list.length) this.free.delete(bytes);
      else if (oldest === undefined || list[0].tick < this.free.get(oldest)![0].tick) oldest = bytes;
    }
    if (oldest === undefined) return;
    const list = this.free.get(oldest)!;
    list.shift();
    if (!list.length) this.free.delete(oldest);
    this.freeBytes -= oldest;
  }

  /** Drops free buffers not reused within `maxIdle` allocations (e.g. shapes of a previous model). */
  private sweep(): void {
    this.peakBefore = this.peakNow;
    this.peakNow = this.liveBytes;
    for (const [bytes, list] of this.free) {
      const keep = list.filter((e) => this.tick - e.tick <= this.maxIdle);
      this.freeBytes -= (list.length - keep.length) * bytes;
      if (keep.length) this.free.set(bytes, keep);
      else this.free.delete(bytes);
    }
  }
}

function bufferOf(values: unknown): ArrayBuffer | undefined {
  return ArrayBuffer.isView(values) ? (values.buffer as ArrayBuffer) : undefined;
}
