// Types shared by the width-k model family (Nakkiran et al. 2020, "Deep double descent"; Somepalli et al. 2022).
import * as tf from '@tensorflow/tfjs-core';
import type { Layers } from './layers';

/** What a model is: architecture, width k and the data shape. JSON-serialisable; part of every config. */
export interface ModelSpec {
  /** Registered architecture name (see lib/models/registry.ts). */
  arch: string;
  /** Width parameter k (ResNet-18: stage widths k, 2k, 4k, 8k; k = 64 is the standard ResNet-18). */
  k: number;
  /** Number of output classes. */
  numClasses: number;
  /** Input [height, width, channels]. */
  inputShape: [number, number, number];
}

/** An architecture: a forward function written against `Layers`, which creates or reads parameters by name. */
export interface Arch {
  /** One-line description with the reference it follows. */
  describe: string;
  /** Logits [N, numClasses] for input x [N, H, W, C]. */
  forward(x: tf.Tensor4D, L: Layers, spec: ModelSpec): tf.Tensor2D;
}

/** A model: its spec, trainable parameters and non-trainable buffers (batch-norm running statistics). */
export interface Model {
  spec: ModelSpec;
  /** Trainable variables by name, in creation order (PyTorch-like names such as `layer1.0.conv1.w`). */
  params: Record<string, tf.Variable>;
  /** Non-trainable state by name (`*.runMean`, `*.runVar`). */
  buffers: Record<string, tf.Variable>;
}

/** How a forward pass runs. */
export interface ForwardMode {
  /** Batch statistics in batch norm (training) or running statistics (evaluation). */
  training: boolean;
  /** In training mode, update the running statistics (default true). */
  updateStats?: boolean;
}
