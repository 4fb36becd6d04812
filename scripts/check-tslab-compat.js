// Checks that lib/ parses and type-checks (non-strict) under tslab's bundled TypeScript (5.0), which
// compiles library files imported from notebooks — newer syntax would fail only inside Jupyter.
const path = require('path');
const ts = require('@tslab/typescript-for-tslab');
const root = path.resolve(__dirname, '..');
const files = ts.sys.readDirectory(path.join(root, 'lib'), ['.ts'], ['**/*.d.ts']);
const program = ts.createProgram(files, {
  target: ts.ScriptTarget.ES2022,
  module: ts.ModuleKind.CommonJS,
  moduleResolution: ts.ModuleResolutionKind.NodeJs,
  esModuleInterop: true,
  skipLibCheck: true,
  noEmit: true,
  types: ['node'],
  lib: ['lib.es2022.d.ts'],
});
const diags = [...ts.getPreEmitDiagnostics(program)];
// tslab's module loader resolves relative imports to files only: `import ... from './models'` (a folder
// with index.ts) works under tsc and tsx but fails in a notebook with "Cannot find module".
const fs = require('fs');
let folderImports = 0;
for (const f of files) {
  const src = fs.readFileSync(f, 'utf8');
  for (const m of src.matchAll(/from '(\.{1,2}\/[^']*)'/g)) {
    const target = path.resolve(path.dirname(f), m[1]);
    if (fs.existsSync(target) && fs.statSync(target).isDirectory()) {
      console.error(`${path.relative(root, f)}: imports the folder '${m[1]}'; tslab needs the file ('${m[1]}/index')`);
      folderImports++;
    }
  }
}
for (const d of diags) {
  const where = d.file ? `${path.relative(root, d.file.fileName)}(${d.file.getLineAndCharacterOfPosition(d.start).line + 1})` : '';
  console.error(`${where}: ${ts.flattenDiagnosticMessageText(d.messageText, '\n')}`);
}
if (folderImports) process.exit(1);
if (diags.length) {
  console.error(`${diags.length} diagnostic(s) under tslab's TypeScript ${ts.version}`);
  process.exit(1);
}
console.log(`ok: ${files.length} files under TypeScript ${ts.version}`);
