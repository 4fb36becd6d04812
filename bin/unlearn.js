#!/usr/bin/env node
// Entry point of the `unlearn` CLI: registers tsx's CommonJS TypeScript loader and runs lib/cli/main.ts.
require('tsx/cjs');
// `unlearn ... | head` closes the pipe early: stop quietly instead of crashing with EPIPE.
process.stdout.on('error', (e) => {
  if (e.code === 'EPIPE') process.exit(0);
  else throw e;
});
require('../lib/cli/main.ts')
  .main(process.argv.slice(2))
  .then((code) => {
    process.exitCode = code;
  });
