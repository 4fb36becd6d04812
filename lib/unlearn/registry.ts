// Registry of unlearning methods: a misspelt name is a compile error in code and a listed error in the CLI.
import type { Method, BaseHyper } from './types';
import { retrain } from './methods/retrain';
import { finetune } from './methods/finetune';
import { gradAscent } from './methods/grad-ascent';
import { negGradPlus } from './methods/neg-grad-plus';
import { scrub } from './methods/scrub';
import { scrubR } from './methods/scrub-r';
import { l1Sparse } from './methods/l1-sparse';
import { randomLabel } from './methods/random-label';

export const methods = { retrain, finetune, gradAscent, negGradPlus, scrub, scrubR, l1Sparse, randomLabel } satisfies Record<
  string,
  Method<any>
>;
export type MethodName = keyof typeof methods;

/** Method names in display order, the oracle first. */
export const methodNames = Object.keys(methods) as MethodName[];

/** A method as the generic interface (its hyperparameters as a plain record). */
export function methodOf(name: MethodName): Method<BaseHyper & Record<string, number>> {
  return methods[name] as unknown as Method<BaseHyper & Record<string, number>>;
}
