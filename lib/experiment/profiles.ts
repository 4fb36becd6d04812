// Scale profiles (SPEC "Scale profiles"): `smoke` proves every code path in minutes, `cpu` is the CPU-scale
// reproduction whose results are committed, `cpu-fmnist` the same on Fashion-MNIST (28x28 grey), `paper` is the
// paper's scale for a CUDA machine.
import type { DataConfig } from './data';
import type { TrainRecipe } from '../train/loop';
import type { ArchName } from '../models/registry';
import { pick, UsageError } from '../util/errors';

/** Everything a figure needs to know about the scale it runs at. JSON-serialisable. */
export interface Profile {
  name: string;
  /** One line shown in notebook headers. */
  describe: string;
  /** Data and splits (the goal is set per figure). */
  data: DataConfig;
  arch: ArchName;
  /** Widths k, narrow to wide. */
  widths: number[];
  seeds: number[];
  /** Recipe of the original and the retrained models. */
  original: TrainRecipe;
  /** λ values of the validation objective (SPEC "Validation-based tuning"). */
  lambdas: number[];
  /** Decision-region planes per model pair and grid resolution. */
  planes: number;
  resolution: number;
}

const sgd = { kind: 'sgd', momentum: 0.9, weightDecay: 5e-4 } as const;

/** The CPU-scale reproduction on CIFAR-10 (environment.md, regime table); cpu-fmnist runs its recipe on Fashion-MNIST. */
const cpu = {
  name: 'cpu',
  describe:
    'CPU-scale reproduction: 10,000 CIFAR-10 training images (100 to forget), ResNet-18 widths k = 1, 2, 4, 3 seeds, no augmentation so k ≥ 4 interpolates and k = 1 does not',
  data: { dataset: 'cifar10', split: { validation: 500, trainSize: 10000, testSize: 1000, forget: 100 }, augment: false },
  arch: 'resnet18k',
  widths: [1, 2, 4],
  seeds: [0, 1, 2],
  original: { epochs: 30, batchSize: 64, lr: 0.05, schedule: { kind: 'cosine' }, optimizer: sgd },
  lambdas: [0.2, 0.4, 0.6],
  planes: 50,
  resolution: 32,
} satisfies Profile;

export const profiles = {
  smoke: {
    name: 'smoke',
    describe: 'every code path in seconds: 400 CIFAR-10 training images, CNN-4 at k = 2 and 8, one seed, 2 epochs',
    data: { dataset: 'cifar10', split: { validation: 100, trainSize: 400, testSize: 200, forget: 20 }, augment: false },
    arch: 'cnn4',
    widths: [2, 8],
    seeds: [0],
    original: { epochs: 2, batchSize: 64, lr: 0.05, schedule: { kind: 'cosine' }, optimizer: sgd },
    lambdas: [0.2, 0.4, 0.6],
    planes: 2,
    resolution: 15,
  },
  cpu,
  // Chosen from `bench/regime.ts --dataset fashion-mnist` (environment.md, regime table): test error 0.13–0.14, k = 4 interpolates.
  'cpu-fmnist': {
    ...cpu,
    name: 'cpu-fmnist',
    describe:
      'CPU-scale reproduction on Fashion-MNIST: 5,000 training images (100 to forget), ResNet-18 widths k = 1, 2, 4, 3 seeds, no augmentation (test error ≈ 0.13, k = 4 interpolates)',
    data: { ...cpu.data, dataset: 'fashion-mnist', split: { ...cpu.data.split, trainSize: 5000 } },
  },
  paper: {
    name: 'paper',
    describe:
      "the paper's scale: full CIFAR-10 (45,000 train / 5,000 validation), ResNet-18 k = 1…64, 3 seeds; a CUDA GPU with tfjs-node-gpu",
    data: { dataset: 'cifar10', split: { validation: 5000, trainSize: null, testSize: null, forget: 200 }, augment: true },
    arch: 'resnet18k',
    widths: [1, 2, 4, 8, 16, 32, 64],
    seeds: [0, 1, 2],
    original: { epochs: 200, batchSize: 128, lr: 0.1, schedule: { kind: 'cosine' }, optimizer: sgd },
    lambdas: [0.2, 0.4, 0.6],
    planes: 300,
    resolution: 75,
  },
} satisfies Record<string, Profile>;

export type ProfileName = keyof typeof profiles;

/**
 * The profile named by `name`, else by UNLEARN_PROFILE, else `cpu`.
 * @example
 * const p = getProfile(); // UNLEARN_PROFILE=smoke → profiles.smoke
 */
export function getProfile(name?: string): Profile {
  const n = name ?? process.env.UNLEARN_PROFILE ?? 'cpu';
  if (!n) throw new UsageError('empty profile name');
  return pick(profiles, n, 'profile');
}
