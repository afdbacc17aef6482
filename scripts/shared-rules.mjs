// Generates the mini-program's CommonJS copies of the H5's pure rules
// (frontend/js → frontend/miniprogram/h5rules/), so each rule is written once.
// Run by scripts/assets.sh; the output is git-ignored.
//
// The rewrite is line-based and deliberately narrow:
//   export function X / export async function X / export const|let|var|class X
//     → the plain declaration, and X joins one `module.exports = { … }`;
//   import { a, b } from './x.js';  (x.js one of the shared modules)
//     → const { a, b } = require('./x.js');
// Anything else that imports or exports (export default, export { … },
// export * from, import x from, import * as, aliases, import(), import.meta,
// a module that is not shared) is refused with the file and line.
//
//   node scripts/shared-rules.mjs          write frontend/miniprogram/h5rules/
//   node scripts/shared-rules.mjs --check  exit 1 when it is not up to date

import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
export const SRC = 'frontend/js';
export const OUT = 'frontend/miniprogram/h5rules';

/** The H5 modules the mini-program requires; each must be free of the DOM. */
export const MODULES = ['idnumber.js', 'status.js', 'provisional.js', 'format.js'];

const NAME = '[A-Za-z_$][\\w$]*';
const DECL = new RegExp(`^export ((?:async )?function\\*? ?(${NAME})\\b|(?:const|let|var|class) (${NAME})\\b)`);
const IMPORT = new RegExp(`^import \\{([^}]*)\\} from '\\./([\\w.-]+\\.js)';$`);

/**
 * The CommonJS text of one ES module's source. `file` names it in the header
 * and in errors; `shared` lists the modules it may import.
 */
export function toCommonJS(source, file, shared = MODULES) {
  const fail = (n, why) => { throw new Error(`${file}:${n}: ${why}`); };
  const exported = [];
  const out = [];
  source.split('\n').forEach((line, i) => {
    const n = i + 1;
    let m;
    if ((m = DECL.exec(line))) {
      const name = m[2] || m[3];
      if (exported.includes(name)) fail(n, `${name} is exported twice`);
      exported.push(name);
      out.push(line.slice('export '.length));
      return;
    }
    if ((m = IMPORT.exec(line))) {
      const names = m[1].split(',').map((s) => s.trim()).filter(Boolean);
      if (names.length === 0) fail(n, 'an import of no names');
      for (const name of names) if (!new RegExp(`^${NAME}$`).test(name)) fail(n, `import form not handled: "${name}" (aliases are not)`);
      if (!shared.includes(m[2])) fail(n, `imports ./${m[2]}, which is not one of the shared modules (${shared.join(', ')})`);
      out.push(`const { ${names.join(', ')} } = require('./${m[2]}');`);
      return;
    }
    if (/^\s*(export|import)\b/.test(line)) fail(n, `import/export form not handled: ${line.trim()}`);
    if (/\bimport\s*\(|\bimport\.meta\b/.test(line)) fail(n, `dynamic import / import.meta not handled: ${line.trim()}`);
    if (/\bexport\s+(default|function|async|const|let|var|class|\{|\*)|\bimport\s*[{*]|\bimport\s+[\w$]+\s+from\b/.test(line)) {
      fail(n, `import/export not at the start of a line: ${line.trim()}`);
    }
    out.push(line);
  });
  if (exported.length === 0) fail(0, 'exports nothing');
  while (out.length && out[out.length - 1] === '') out.pop();
  return [
    `// Generated from ${SRC}/${file} by scripts/shared-rules.mjs (run by scripts/assets.sh); do not edit.`,
    "'use strict';",
    '',
    ...out,
    '',
    `module.exports = { ${exported.join(', ')} };`,
    '',
  ].join('\n');
}

/** Every generated file: name → text. */
export function generate(root = ROOT) {
  const files = new Map();
  for (const f of MODULES) files.set(f, toCommonJS(fs.readFileSync(path.join(root, SRC, f), 'utf8'), f));
  return files;
}

/** The names of files in OUT that differ from, or are missing or extra to, what generate() makes. */
export function stale(root = ROOT) {
  const want = generate(root);
  const dir = path.join(root, OUT);
  const have = fs.existsSync(dir) ? fs.readdirSync(dir) : [];
  const bad = [];
  for (const [f, text] of want) {
    const p = path.join(dir, f);
    if (!fs.existsSync(p) || fs.readFileSync(p, 'utf8') !== text) bad.push(f);
  }
  for (const f of have) if (!want.has(f)) bad.push(f);
  return bad.sort();
}

function main(args) {
  if (args.length > 1 || (args.length === 1 && args[0] !== '--check')) {
    console.error('usage: node scripts/shared-rules.mjs [--check]');
    process.exit(2);
  }
  if (args[0] === '--check') {
    const bad = stale();
    if (bad.length) {
      console.error(`shared-rules: ${OUT} is not up to date (${bad.join(', ')}): run ./scripts/assets.sh`);
      process.exit(1);
    }
    return;
  }
  const files = generate(); // all or nothing: a refused module writes no file
  const dir = path.join(ROOT, OUT);
  fs.rmSync(dir, { recursive: true, force: true });
  fs.mkdirSync(dir, { recursive: true });
  for (const [f, text] of files) fs.writeFileSync(path.join(dir, f), text);
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  try {
    main(process.argv.slice(2));
  } catch (err) {
    console.error(`shared-rules: ${err.message}`);
    process.exit(1);
  }
}
