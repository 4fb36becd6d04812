// Error types with actionable messages: what is wrong, and what was expected.

/** Bad user input (config, CLI argument, method name). The CLI maps it to exit code 2. */
export class UsageError extends Error {
  override name = 'UsageError';
}

/** Missing, corrupt or inconsistent data on disk; names the file and what was expected. */
export class DataError extends Error {
  override name = 'DataError';
  constructor(
    readonly file: string,
    message: string,
  ) {
    super(`${file}: ${message}`);
  }
}

/** A computation that diverged (NaN/Inf loss); names where. */
export class DivergenceError extends Error {
  override name = 'DivergenceError';
}

/**
 * Looks `name` up in a registry, throwing a UsageError listing the valid names.
 * @example
 * const build = pick(archs, 'resnet18k', 'architecture');
 */
export function pick<R extends Record<string, unknown>>(registry: R, name: string, what: string): R[keyof R] {
  if (!Object.prototype.hasOwnProperty.call(registry, name)) {
    throw new UsageError(`unknown ${what} '${name}'; expected one of: ${Object.keys(registry).join(', ')}`);
  }
  return registry[name as keyof R];
}
