#!/usr/bin/env node
// Entry point of the `unlearn` CLI: registers tsx's CommonJS TypeScript loader and runs lib/cli/main.ts.
require('tsx/cjs');
require('../lib/cli/main.ts')
  .main(process.argv.slice(2))
  .then((code) => { process.exitCode = code; });
