// Convolution precision of the onednn backend (UNLEARN_PRECISION): f32, or bf16 inputs with f32 outputs and
// accumulation inside oneDNN's convolutions (oneDNN Developer Guide, "Bfloat16 training"; f32 master weights).
import { UsageError } from '../../util/errors';
import type { OneDnnAddon } from './addon';

/** The values UNLEARN_PRECISION accepts; f32 is the default. */
export const precisions = ['f32', 'bf16'] as const;
export type Precision = (typeof precisions)[number];

/**
 * The precision UNLEARN_PRECISION asks for (default f32); any other value is a UsageError naming the valid ones.
 * @example
 * requestedPrecision({ UNLEARN_PRECISION: 'bf16' }); // 'bf16'
 */
export function requestedPrecision(env: NodeJS.ProcessEnv = process.env): Precision {
  const v = env.UNLEARN_PRECISION?.trim().toLowerCase();
  if (!v) return 'f32';
  if (!(precisions as readonly string[]).includes(v)) {
    throw new UsageError(`UNLEARN_PRECISION='${env.UNLEARN_PRECISION}' is not a precision; expected one of: ${precisions.join(', ')}`);
  }
  return v as Precision;
}

/** Puts the addon's convolutions in `precision` (throws when this CPU's oneDNN has no bf16 convolution). */
export function applyPrecision(addon: OneDnnAddon, precision: Precision): void {
  if (addon.info().convPrecision !== precision) addon.setOption('convPrecision', precision === 'bf16' ? 1 : 0);
}
