// Where a run's tables and figures go: results/<profile>/ (canonical, read by notebook 06 and `unlearn findings`)
// only for the profile's default config; any other config explores, into results/<profile>/explore/<config hash>/.
import * as path from 'path';
import { resultsRoot } from '../util/paths';
import { configHash } from '../util/hash';

/** The folder of a run's outputs and whether it is the canonical one. */
export interface ResultLocation {
  /** The profile's results folder or its explore/<hash>/ sub-folder. */
  dir: string;
  canonical: boolean;
  /** Hash of the settings that differ from the profile's defaults (empty when canonical). */
  hash: string;
  /** The settings that differ from the defaults (empty when canonical). */
  overrides: Record<string, unknown>;
}

/** Sorted copy of a list (a set of widths, seeds or methods), so the order a user types does not matter. */
function asSet(v: unknown): unknown {
  return Array.isArray(v) ? [...new Set(v as unknown[])].sort((a, b) => String(a).localeCompare(String(b), 'en', { numeric: true })) : v;
}

/**
 * The settings of `config` that differ from `defaults` (lists compared as sets; undefined = default).
 * @example
 * overridesOf({ widths: [2], seeds: undefined }, { widths: [2, 8], seeds: [0] }); // { widths: [2] }
 */
export function overridesOf(config: Record<string, unknown>, defaults: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(config)) {
    if (value === undefined) continue;
    if (JSON.stringify(asSet(value)) !== JSON.stringify(asSet(defaults[key]))) out[key] = asSet(value);
  }
  return out;
}

/**
 * Where a run of `config` writes: the canonical folder when it equals the defaults, else explore/<hash>/.
 * @example
 * resultLocation('smoke', { methods: ['scrub'] }, { methods: allMethods }).dir; // …/results/smoke/explore/3f9c…
 */
export function resultLocation(profile: string, config: Record<string, unknown>, defaults: Record<string, unknown>): ResultLocation {
  const overrides = overridesOf(config, defaults);
  const base = path.join(resultsRoot(), profile);
  if (Object.keys(overrides).length === 0) return { dir: base, canonical: true, hash: '', overrides };
  const hash = configHash(overrides);
  return { dir: path.join(base, 'explore', hash), canonical: false, hash, overrides };
}
