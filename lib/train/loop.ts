// The one training loop everything trains with (original models, retraining, every unlearning method):
// epochs of phases, each phase a pass over one source with a pluggable loss; seeded, resumable from
// atomic checkpoints (an unusable one is discarded with a warning), with live progress and no tensor growth
// across epochs. Losses and accuracies stay on the device and are read in one batch per progress update (at
// most 4 a second) and at each epoch's end — never synchronously inside a step (GPU backends).
import * as fs from 'fs';
import * as tf from '@tensorflow/tfjs-core';
import { rng } from '../util/rng';
import { DivergenceError } from '../util/errors';
import type { Model } from '../models/types';
import { assignArrays, checkArrays, loadBundle, readTensors, writeBundle } from '../models/checkpoint';
import { beat } from '../util/heartbeat';
import { createOptimizer, type Optimizer, type OptimizerConfig } from './optimizer';
import { lrAt, type ScheduleConfig } from './schedule';
import type { BatchSource, HostBatch } from './source';
import type { ProgressSink } from '../util/progress';
import { throwIfCancelled } from '../util/cancel';

/** A batch as tensors. */
export interface Batch {
  x: tf.Tensor4D;
  y: tf.Tensor1D;
  n: number;
}

/** What a loss sees: the model being trained, the phase's batch and one batch of each extra source. */
export interface LossInput {
  model: Model;
  batch: Batch;
  extra: Record<string, Batch>;
  epoch: number;
  progress: number;
}

/** A loss returns a scalar to minimise; it may also return logits of `batch` for the accuracy display. */
export type LossFn = (input: LossInput) => { loss: tf.Scalar; logits?: tf.Tensor2D };

/** One pass over `source` with `loss`, in the epochs `runs` selects (default: every epoch). */
export interface Phase {
  name: string;
  source: BatchSource;
  /** Sources drawn alongside the main one, cycling (e.g. forget batches for NegGrad+). */
  extra?: Record<string, BatchSource>;
  loss: LossFn;
  runs?: (epoch: number) => boolean;
  /** Learning rate multiplier for this phase (default 1). */
  lrScale?: number;
  /** Batch size of this phase's source and its extras (default: the run's `batchSize`; e.g. SCRUB's forget batch). */
  batchSize?: number;
}

/** Settings of a training run; the JSON-serialisable part (`TrainRecipe`) goes into stored configs. */
export interface TrainRecipe {
  epochs: number;
  batchSize: number;
  lr: number;
  schedule: ScheduleConfig;
  optimizer: OptimizerConfig;
}

export interface TrainOptions extends TrainRecipe {
  seed: number;
  phases: Phase[];
  /** Shown in progress output. */
  label?: string;
  progress?: ProgressSink;
  /** Resume from / write to this checkpoint file (written atomically at most every `checkpointEvery` s). */
  checkpoint?: string;
  checkpointEvery?: number;
  /** Called after each phase of each epoch (e.g. to stop early or record curves). */
  onEpoch?: (stats: EpochStats) => void;
  /**
   * Awaited after all phases of each epoch with its 1-based number, before any checkpoint (e.g. to keep the model
   * of every epoch, SCRUB+R). Not called again for epochs a resumed run restores.
   */
  afterEpoch?: (epoch: number) => void | Promise<void>;
}

/** Per-epoch training statistics (mean over the epoch's steps, per phase). */
export interface EpochStats {
  epoch: number;
  phase: string;
  loss: number;
  acc: number | null;
  seconds: number;
  steps: number;
}

/** The result of a run: per-epoch statistics and wall time. */
export interface TrainHistory {
  epochs: EpochStats[];
  seconds: number;
  resumedFromEpoch: number;
}

const tick = () => new Promise<void>((r) => setImmediate(r));

/** Steps whose loss and accuracy are still on the device, read together (`flush`). */
interface Pending {
  loss: tf.Scalar;
  correct?: tf.Scalar;
  n: number;
  step: number;
}

/**
 * Most steps kept unread (bounds the work queued on a GPU: Dawn on lavapipe crashed with ~50 unread steps, 40
 * were fine); progress reads at most every 250 ms.
 */
const MAX_PENDING = 16;
const READ_EVERY_MS = 250;

/**
 * Reads the pending steps' losses (and correct counts) in one read, frees them and returns their sums; throws
 * a DivergenceError naming the first step whose loss is not finite.
 */
async function flush(
  pending: Pending[],
  diverged: (loss: number, step: number) => string,
): Promise<{ loss: number; correct: number; seen: number; accKnown: boolean }> {
  const out = { loss: 0, correct: 0, seen: 0, accKnown: false };
  if (!pending.length) return out;
  const withAcc = pending.filter((p) => p.correct);
  const packed = tf.tidy(() => tf.stack([...pending.map((p) => p.loss), ...withAcc.map((p) => p.correct!)]));
  let values: Float32Array;
  try {
    values = (await packed.data()) as Float32Array;
  } finally {
    packed.dispose();
    for (const p of pending) {
      p.loss.dispose();
      p.correct?.dispose();
    }
  }
  pending.forEach((p, i) => {
    const v = values[i];
    if (!Number.isFinite(v)) throw new DivergenceError(diverged(v, p.step));
    out.loss += v * p.n;
    out.seen += p.n;
  });
  withAcc.forEach((_, i) => {
    out.correct += values[pending.length + i];
  });
  out.accKnown = withAcc.length > 0;
  return out;
}

function toBatch(h: HostBatch, shape: [number, number, number]): Batch {
  return { x: tf.tensor4d(h.x, [h.n, ...shape]), y: tf.tensor1d(h.y, 'int32'), n: h.n };
}

function stepsPerEpoch(o: TrainOptions, epoch: number): number {
  return o.phases.filter((p) => !p.runs || p.runs(epoch)).reduce((s, p) => s + Math.ceil(p.source.size / (p.batchSize ?? o.batchSize)), 0);
}

/**
 * Trains `model` in place (callers clone first when the input must stay untouched).
 * @example
 * await train(model, { ...recipe, seed: 0, phases: [{ name: 'train', source, loss: ceLoss }] });
 */
export async function train(model: Model, o: TrainOptions): Promise<TrainHistory> {
  const start = Date.now();
  const opt = createOptimizer(model.params, o.optimizer);
  const history: TrainHistory = { epochs: [], seconds: 0, resumedFromEpoch: 0 };
  let firstEpoch = 0;
  if (o.checkpoint && fs.existsSync(o.checkpoint)) {
    firstEpoch = resumeOrDiscard(model, opt, o, history);
    history.resumedFromEpoch = firstEpoch;
  }
  const totalSteps = Array.from({ length: o.epochs }, (_, e) => stepsPerEpoch(o, e)).reduce((a, b) => a + b, 0);
  let done = Array.from({ length: firstEpoch }, (_, e) => stepsPerEpoch(o, e)).reduce((a, b) => a + b, 0);
  const doneAtStart = done;
  let lastCheckpoint = Date.now(),
    lastRead = Date.now();
  const pending: Pending[] = [];
  try {
    for (let epoch = firstEpoch; epoch < o.epochs; epoch++) {
      for (const phase of o.phases) {
        if (phase.runs && !phase.runs(epoch)) continue;
        const t0 = Date.now();
        const r = rng(o.seed, 'epoch', epoch, phase.name);
        const batchSize = phase.batchSize ?? o.batchSize;
        const extras = Object.entries(phase.extra ?? {}).map(([name, src]) => ({
          name,
          src,
          it: cycle(src, rng(o.seed, 'extra', epoch, phase.name, name), batchSize),
        }));
        let lossSum = 0,
          correct = 0,
          seen = 0,
          steps = 0,
          accKnown = false;
        const diverged = (loss: number, step: number) =>
          `${o.label ?? 'training'}: loss is ${loss} at epoch ${epoch + 1}, phase '${phase.name}', step ${step}`;
        const read = async () => {
          const f = await flush(pending, diverged);
          lossSum += f.loss;
          correct += f.correct;
          seen += f.seen;
          accKnown ||= f.accKnown;
          pending.length = 0;
          lastRead = Date.now();
        };
        for (const hb of phase.source.epoch(r, batchSize)) {
          throwIfCancelled();
          const lr = lrAt(o.schedule, o.lr, done, totalSteps, epoch) * (phase.lrScale ?? 1);
          const extra: Record<string, HostBatch> = {};
          for (const e of extras) extra[e.name] = e.it.next().value as HostBatch;
          const input: StepInput = {
            batch: hb,
            extra,
            shape: phase.source.shape,
            extraShapes: Object.fromEntries(extras.map((e) => [e.name, e.src.shape])),
          };
          const out = trainStep({ model, optimizer: opt, phase, input, lr, epoch, progress: done / totalSteps });
          steps++;
          done++;
          pending.push({ ...out, n: hb.n, step: steps });
          beat();
          const due = Date.now() - lastRead >= READ_EVERY_MS;
          if ((o.progress && due) || pending.length >= MAX_PENDING) {
            await read();
            if (o.progress) {
              const elapsed = (Date.now() - start) / 1000;
              const rate = (done - doneAtStart) / Math.max(elapsed, 1e-3);
              o.progress.update({
                label: o.label ?? 'train',
                step: done,
                total: totalSteps,
                loss: lossSum / seen,
                acc: accKnown ? correct / seen : undefined,
                etaSeconds: (totalSteps - done) / rate,
                extra: { epoch: `${epoch + 1}/${o.epochs}`, phase: phase.name },
              });
            }
          }
          await tick(); // lets an interrupt (SIGINT) and display output through between steps
        }
        await read();
        const stats: EpochStats = {
          epoch: epoch + 1,
          phase: phase.name,
          loss: seen ? lossSum / seen : NaN,
          acc: accKnown ? correct / seen : null,
          seconds: (Date.now() - t0) / 1000,
          steps,
        };
        history.epochs.push(stats);
        o.onEpoch?.(stats);
      }
      await o.afterEpoch?.(epoch + 1);
      const last = epoch === o.epochs - 1;
      if (o.checkpoint && !last && (Date.now() - lastCheckpoint) / 1000 >= (o.checkpointEvery ?? 60)) {
        await writeCheckpoint(model, opt, o.checkpoint, epoch + 1, history);
        lastCheckpoint = Date.now();
      }
    }
  } finally {
    for (const p of pending) {
      p.loss.dispose();
      p.correct?.dispose();
    }
    opt.dispose();
  }
  if (o.checkpoint) fs.rmSync(o.checkpoint, { force: true });
  history.seconds = (Date.now() - start) / 1000;
  o.progress?.done(
    `${o.label ?? 'train'}: ${o.epochs} epochs in ${history.seconds.toFixed(1)} s, final loss ${history.epochs.at(-1)?.loss.toFixed(4) ?? 'n/a'}`,
  );
  return history;
}

/** Host batches of one step: the phase's batch and one batch per extra source. */
export interface StepInput {
  batch: HostBatch;
  extra: Record<string, HostBatch>;
  shape: [number, number, number];
  extraShapes: Record<string, [number, number, number]>;
}

/** What a step leaves on the device for the loop to read later: the loss and (if the loss gave logits) the correct count. */
export interface StepResult {
  loss: tf.Scalar;
  correct?: tf.Scalar;
}

/** What one training step needs. */
export interface TrainStepOptions {
  /** The model whose parameters are updated in place. */
  model: Model;
  /** Its optimiser (holds the momentum / Adam slots between steps). */
  optimizer: Optimizer;
  /** The phase's loss (only `loss` is used). */
  phase: Pick<Phase, 'loss'>;
  /** The step's host batches. */
  input: StepInput;
  /** Learning rate of this step (after the schedule and the phase's lrScale). */
  lr: number;
  /** Zero-based epoch, passed to the loss (default 0). */
  epoch?: number;
  /** Fraction of the run's steps done before this one, 0..1, passed to the loss (default 0). */
  progress?: number;
}

/**
 * One optimisation step: loss, gradients, update, with no read from the device; returns the loss and (if the
 * loss gave logits) the number of correct predictions as kept scalars the caller disposes. Every other tensor
 * it makes is freed. A non-finite loss is applied like any other (the loop stops the run when it reads it).
 * @example
 * const { loss, correct } = trainStep({ model, optimizer, phase: { loss: crossEntropyLoss }, input, lr: 0.05 });
 * tf.dispose([loss, correct]);
 */
export function trainStep(o: TrainStepOptions): StepResult {
  const { model, optimizer: opt, phase, input, lr, epoch = 0, progress = 0 } = o;
  const varList = Object.values(model.params);
  return tf.tidy(() => {
    const batch = toBatch(input.batch, input.shape);
    const extra: Record<string, Batch> = {};
    for (const [name, hb] of Object.entries(input.extra)) extra[name] = toBatch(hb, input.extraShapes[name]);
    let corr: tf.Scalar | undefined;
    const { value, grads } = tf.variableGrads(() => {
      const res = phase.loss({ model, batch, extra, epoch, progress });
      if (res.logits) corr = tf.keep(tf.sum(tf.cast(tf.equal(tf.argMax(res.logits, 1), batch.y), 'float32')) as tf.Scalar);
      return res.loss;
    }, varList);
    const g: Record<string, tf.Tensor> = {};
    for (const [n, v] of Object.entries(model.params)) if (grads[v.name]) g[n] = grads[v.name];
    opt.step(g, lr);
    // tidy keeps what it returns: the loss, and the count (already kept by the loss closure, released here).
    const loss = value as tf.Scalar;
    if (!corr) return { loss };
    const correct = tf.clone(corr) as tf.Scalar;
    corr.dispose();
    return { loss, correct };
  });
}

function* cycle(src: BatchSource, r: ReturnType<typeof rng>, batchSize: number): Generator<HostBatch, never> {
  for (let round = 0; ; round++) {
    let any = false;
    for (const b of src.epoch(r.fork(round), batchSize)) {
      any = true;
      yield b;
    }
    if (!any) throw new Error('an extra batch source is empty');
  }
}

interface CheckpointMeta {
  kind: 'train-state';
  epoch: number;
  steps: number;
  history: EpochStats[];
}

/** Writes the training state atomically, read from the device asynchronously (GPU tensors cannot be read synchronously). */
async function writeCheckpoint(model: Model, opt: Optimizer, file: string, epoch: number, history: TrainHistory): Promise<void> {
  const tensors: Record<string, tf.Tensor> = {};
  for (const [n, v] of Object.entries(model.params)) tensors[`param:${n}`] = v;
  for (const [n, v] of Object.entries(model.buffers)) tensors[`buffer:${n}`] = v;
  for (const [n, v] of Object.entries(opt.state())) tensors[`opt:${n}`] = v;
  writeBundle<CheckpointMeta>(file, { kind: 'train-state', epoch, steps: opt.steps, history: history.epochs }, await readTensors(tensors));
}

/**
 * Restores model, optimiser and history from a partial checkpoint and returns the epoch to continue from; a
 * checkpoint that cannot be used (corrupt, another architecture, another run's state) is removed with a
 * warning and training starts from epoch 0. Nothing is assigned before the whole checkpoint is checked.
 */
function resumeOrDiscard(model: Model, opt: Optimizer, o: TrainOptions, history: TrainHistory): number {
  const file = o.checkpoint as string;
  try {
    const { meta, arrays } = loadBundle<CheckpointMeta>(file);
    if (meta?.kind !== 'train-state' || !Number.isInteger(meta.epoch) || meta.epoch < 0 || meta.epoch > o.epochs) {
      throw new Error(
        `holds '${String(meta?.kind)}' at epoch ${String(meta?.epoch)}, expected a training state of at most ${o.epochs} epochs`,
      );
    }
    checkArrays(model.params, arrays, 'param:');
    checkArrays(model.buffers, arrays, 'buffer:');
    for (const key of Object.keys(arrays)) {
      const name = key.startsWith('opt:') ? key.slice(4) : undefined;
      if (name !== undefined && !(name.slice(0, name.lastIndexOf('.')) in model.params))
        throw new Error(`optimiser slot '${name}' belongs to no parameter of this model`);
    }
    assignArrays(model.params, arrays, 'param:');
    assignArrays(model.buffers, arrays, 'buffer:');
    // Optimiser slots are created lazily; create them by name from the checkpoint.
    const slots = opt.state();
    for (const [key, a] of Object.entries(arrays)) {
      if (!key.startsWith('opt:')) continue;
      slots[key.slice(4)] = tf.tidy(() => tf.variable(tf.tensor(a.values, a.shape), false));
    }
    opt.steps = meta.steps;
    history.epochs.push(...meta.history);
    return meta.epoch;
  } catch (e) {
    const why = (e as Error).message.replace(`${file}: `, '');
    console.warn(`${o.label ?? 'training'}: discarding the unusable partial checkpoint ${file} (${why}); training restarts from epoch 1`);
    fs.rmSync(file, { force: true });
    return 0;
  }
}
