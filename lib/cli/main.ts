// The `unlearn` command line: sub-command registry, help, and error → exit-code mapping (usage errors → 2).
import { UsageError, DataError } from '../util/errors';
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

export const commands = { info, params, data, train, unlearn, sweep, eval: evaluate, mia, findings: findingsCommand, bench } satisfies Record<string, Command>;

function help(): string {
  const lines = Object.entries(commands).map(([name, c]) => `  ${name.padEnd(10)} ${c.summary}`);
  return `usage: unlearn <command> [options]   (unlearn <command> --help for its options)\n\ncommands:\n${lines.join('\n')}\n\nenvironment: UNLEARN_BACKEND (auto|tensorflow-gpu|tensorflow|wasm|cpu), UNLEARN_PROFILE (smoke|cpu|paper), UNLEARN_DATA, UNLEARN_STORE`;
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
    if (values.help) { console.log(cmd.usage); return 0; }
    return await cmd.run(values, positionals);
  } catch (e) {
    if (e instanceof UsageError) { console.error(`unlearn ${name}: ${e.message}`); return 2; }
    if (e instanceof DataError) { console.error(`unlearn ${name}: ${e.message}`); return 1; }
    console.error(`unlearn ${name}: ${(e as Error).stack ?? String(e)}`);
    return 1;
  }
}
