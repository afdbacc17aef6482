// The mini-program speaks only the documented API: every call in its source
// names a path and method of backend/internal/web/openapi.yaml, and only
// utils/api.js touches the network. Runs without a server.
'use strict';

const test = require('node:test');
const assert = require('node:assert');
const fs = require('node:fs');
const path = require('node:path');

const ROOT = path.resolve(__dirname, '../miniprogram');
const OPENAPI = path.resolve(__dirname, '../../backend/internal/web/openapi.yaml');

/** {"/api/v1/cases/{no}": Set{"get"}}, from the document's paths block. */
function documented() {
  const out = {};
  let current = null;
  let inPaths = false;
  for (const line of fs.readFileSync(OPENAPI, 'utf8').split('\n')) {
    if (/^paths:\s*$/.test(line)) { inPaths = true; continue; }
    if (inPaths && /^\S/.test(line)) inPaths = false;
    if (!inPaths) continue;
    const p = /^ {2}(\/\S+):\s*$/.exec(line);
    if (p) { current = p[1]; out[current] = new Set(); continue; }
    const m = /^ {4}(get|post|put|patch|delete):/.exec(line);
    if (m && current) out[current].add(m[1]);
  }
  return out;
}

/** Every .js file of the mini-program except the npm build. */
function sources(dir = ROOT) {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) return e.name === 'miniprogram_npm' ? [] : sources(p);
    return e.name.endsWith('.js') ? [p] : [];
  });
}

const METHOD = { get: 'get', post: 'post', upload: 'post', download: 'get' };
// api.get('/x'…), api.post(`/cases/${…}/cancel`…), once('POST', '/auth/wechat'…)
const CALL = /\bapi\.(get|post|upload|download)\(\s*(['`])(\/[^'`]*)\2/g;
const ONCE = /\bonce\('(GET|POST)',\s*'(\/[^']*)'/g;


function calls() {
  const found = [];
  for (const file of sources()) {
    const src = fs.readFileSync(file, 'utf8');
    for (const m of src.matchAll(CALL)) found.push({ file, method: METHOD[m[1]], path: m[3] });
    for (const m of src.matchAll(ONCE)) found.push({ file, method: m[1].toLowerCase(), path: m[2] });
  }
  return found;
}

test('every path the mini-program calls is in openapi.yaml, with that method', () => {
  const doc = documented();
  assert.ok(Object.keys(doc).length > 20, 'openapi.yaml paths were not read');
  const found = calls();
  assert.ok(found.length >= 15, `only ${found.length} API calls found in the source: is the pattern stale?`);
  const templated = Object.keys(doc).map((p) => ({ p, re: new RegExp(`^${p.replace(/[.*+?^$()|[\]\\]/g, '\\$&').replace(/\{[^}]+\}/g, '[^/]+')}$`) }));
  for (const c of found) {
    const concrete = ('/api/v1' + c.path).replace(/\$\{[^}]*\}/g, 'X');
    const hit = templated.find((t) => t.re.test(concrete));
    assert.ok(hit, `${path.relative(ROOT, c.file)} calls ${c.path}, which openapi.yaml does not document`);
    assert.ok(doc[hit.p].has(c.method), `${path.relative(ROOT, c.file)} calls ${c.method.toUpperCase()} ${c.path}; openapi.yaml has ${[...doc[hit.p]]} only`);
  }
});

test('only utils/api.js reaches the network, and only through the one config file', () => {
  for (const file of sources()) {
    const rel = path.relative(ROOT, file);
    const src = fs.readFileSync(file, 'utf8');
    if (rel !== path.join('utils', 'api.js')) {
      assert.ok(!/wx\.(request|uploadFile|downloadFile|connectSocket)\(/.test(src), `${rel} calls the network itself`);
    }
    if (rel !== 'config.js') {
      assert.ok(!/https?:\/\//.test(src), `${rel} names a URL; the server's URL belongs in config.js`);
    }
  }
});

test('the check itself catches an undocumented path', () => {
  const doc = documented();
  const templated = Object.keys(doc).map((p) => new RegExp(`^${p.replace(/\{[^}]+\}/g, '[^/]+')}$`));
  assert.ok(templated.some((re) => re.test('/api/v1/cases/GZ260101000001/cancel')));
  assert.ok(!templated.some((re) => re.test('/api/v1/cases/GZ260101000001/undo')));
});
