// Checks that lib/ parses and type-checks (non-strict) under tslab's bundled TypeScript (5.0), which
// compiles library files imported from notebooks — newer syntax would fail only inside Jupyter.
const path = require('path');
const ts = require('@tslab/typescript-for-tslab');
const root = path.resolve(__dirname, '..');
const files = ts.sys.readDirectory(path.join(root, 'lib'), ['.ts'], ['**/*.d.ts']);
const program = ts.createProgram(files, {
  target: ts.ScriptTarget.ES2022, module: ts.ModuleKind.CommonJS, moduleResolution: ts.ModuleResolutionKind.NodeJs,
  esModuleInterop: true, skipLibCheck: true, noEmit: true, types: ['node'], lib: ['lib.es2022.d.ts'],
});
const diags = ts.getPreEmitDiagnostics(program);
for (const d of diags) {
  const where = d.file ? `${path.relative(root, d.file.fileName)}(${d.file.getLineAndCharacterOfPosition(d.start).line + 1})` : '';
  console.error(`${where}: ${ts.flattenDiagnosticMessageText(d.messageText, '\n')}`);
}
if (diags.length) { console.error(`${diags.length} diagnostic(s) under tslab's TypeScript ${ts.version}`); process.exit(1); }
console.log(`ok: ${files.length} files under TypeScript ${ts.version}`);
