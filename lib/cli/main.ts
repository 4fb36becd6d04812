// The `unlearn` command line: sub-command registry, help, and error → exit-code mapping (usage errors → 2).
import { UsageError, DataError, DivergenceError } from '../util/errors';
import { checkRange } from '../util/range';
import { backendOrder, requested } from '../backend/select';
import { precisions } from '../backend/native/precision';
import { getProfile, profiles } from '../experiment/profiles';
import { parse, type Command } from './command';
import { info } from './commands/info';
import { params } from './commands/params';
import { bench } from './commands/bench';
import { data } from './commands/data';
import { train } from './commands/train';
import { unlearn } from './commands/unlearn';
import { sweep } from './commands/sweep';
import { mia } from './commands/mia';
import { evaluate } from './commands/eval';
import { findingsCommand } from './commands/findings';
import { runTimes } from './commands/run-times';

export const commands = {
  info,
  params,
  data,
  train,
  unlearn,
  sweep,
  eval: evaluate,
  mia,
  findings: findingsCommand,
  bench,
  'run-times': runTimes,
} satisfies Record<string, Command>;

function help(): string {
  const lines = Object.entries(commands).map(([name, c]) => `  ${name.padEnd(10)} ${c.summary}`);
  const env = [
    `UNLEARN_BACKEND (auto|${backendOrder.join('|')})`,
    `UNLEARN_PROFILE (${Object.keys(profiles).join('|')})`,
    'UNLEARN_THREADS (threads of the onednn kernels)',
    `UNLEARN_PRECISION (${precisions.join('|')}: the onednn convolutions' precision; bf16 gets its own store keys)`,
    'UNLEARN_WORKERS (sweep worker processes; default one per core on CPU backends)',
    'UNLEARN_DATA',
    'UNLEARN_STORE',
  ];
  return `usage: unlearn <command> [options]   (unlearn <command> --help for its options)\n\ncommands:\n${lines.join('\n')}\n\nenvironment: ${env.join(', ')}`;
}

/**
 * Checks the UNLEARN_* settings every command depends on before any work: a known profile and backend, and
 * positive integer thread and worker counts; throws a UsageError listing what is allowed.
 * @example
 * checkEnvironment(); // UNLEARN_PROFILE=foo → "unknown profile 'foo'; expected one of: smoke, cpu, cpu-fmnist, paper"
 */
export function checkEnvironment(env: NodeJS.ProcessEnv = process.env): void {
  if (env.UNLEARN_PROFILE) getProfile(env.UNLEARN_PROFILE);
  requested(env);
  for (const name of ['UNLEARN_THREADS', 'UNLEARN_WORKERS']) {
    const v = env[name]?.trim();
    if (v) checkRange(name, /^\d+$/.test(v) ? Number(v) : v, { min: 1, integer: true });
  }
}

/** Runs the CLI; resolves to the process exit code. */
export async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    console.log(help());
    return name ? 0 : 2;
  }
  try {
    if (!Object.prototype.hasOwnProperty.call(commands, name)) {
      throw new UsageError(`unknown command '${name}'; expected one of: ${Object.keys(commands).join(', ')}`);
    }
    const cmd: Command = commands[name as keyof typeof commands];
    const { values, positionals } = parse(cmd, rest);
    if (values.help) {
      console.log(cmd.usage);
      return 0;
    }
    checkEnvironment();
    return await cmd.run(values, positionals);
  } catch (e) {
    if (e instanceof UsageError) {
      console.error(`unlearn ${name}: ${e.message}`);
      return 2;
    }
    if (e instanceof DataError) {
      console.error(`unlearn ${name}: ${e.message}`);
      return 1;
    }
    // A diverged run (NaN/Inf loss) is a result, not a crash: one line naming where (method, epoch, step).
    if (e instanceof DivergenceError) {
      console.error(`unlearn ${name}: ${e.message.split('\n')[0]}`);
      return 1;
    }
    console.error(`unlearn ${name}: ${(e as Error).stack ?? String(e)}`);
    return 1;
  }
}
