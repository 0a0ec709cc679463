// Finishes the dashboard in a directory that wasm-bindgen and the static files were written to:
//
// 1. every file but index.html gets its content's hash in its name (`app-3f2a….wasm`), so the
//    service can let browsers keep it for a year (`Cache-Control: immutable`), and a new build
//    is fetched because its names are new;
// 2. index.html and boot.js are rewritten to the new names;
// 3. each file gets a gzip (-9) and a brotli (quality 11) copy beside it, which the service
//    sends to a browser that accepts it, so nothing is compressed per request;
// 4. `sizes.json` records each file's bytes raw, gzipped and brotli'd (the README's figures and
//    the size check read it).
//
// Usage: node finish.mjs <dir>
import { createHash } from 'node:crypto';
import { readFileSync, writeFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import { gzipSync, brotliCompressSync, constants } from 'node:zlib';

// GNU gzip's deflate packs the module about 1.5 % tighter than zlib's at the same level;
// zlib where gzip is missing. `-n`: no name or time in the header, so a build is repeatable.
const gzip = (bytes) => {
  const run = spawnSync('gzip', ['-9', '-n', '-c'], { input: bytes, maxBuffer: 1 << 28 });
  return run.status === 0 ? run.stdout : gzipSync(bytes, { level: 9 });
};

const dir = process.argv[2];
if (!dir) {
  console.error('usage: node finish.mjs <dir>');
  process.exit(2);
}
const read = (name) => readFileSync(join(dir, name));
const hash = (bytes) => createHash('sha256').update(bytes).digest('hex').slice(0, 16);

// Source name -> served name. Order matters: a file is renamed after the files it names.
const renamed = new Map();
const rewrite = (text) => {
  for (const [from, to] of renamed) {
    text = text.replaceAll(`/${from}`, `/${to}`).replaceAll(`./${from}`, `./${to}`);
  }
  return text;
};
const rename = (from, stem, ext, text) => {
  const bytes = text === undefined ? read(from) : Buffer.from(rewrite(text));
  const to = `${stem}-${hash(bytes)}.${ext}`;
  writeFileSync(join(dir, to), bytes);
  rmSync(join(dir, from));
  renamed.set(from, to);
  return to;
};

// The volunteers' build (`app`) and the staff build (`staff`), each its module and glue code.
const modules = {};
for (const build of ['app', 'staff']) {
  modules[build] = rename(`${build}_bg.wasm`, build, 'wasm');
  rename(`${build}.js`, build, 'js');
}
rename('style.css', 'style', 'css');
rename('favicon.svg', 'favicon', 'svg');
rename('boot.js', 'boot', 'js', read('boot.js').toString());
writeFileSync(join(dir, 'index.html'), rewrite(read('index.html').toString()));

const sizes = {};
for (const name of ['index.html', ...renamed.values()]) {
  const bytes = read(name);
  const gz = gzip(bytes);
  const br = brotliCompressSync(bytes, {
    params: {
      [constants.BROTLI_PARAM_QUALITY]: 11,
      [constants.BROTLI_PARAM_SIZE_HINT]: bytes.length,
    },
  });
  writeFileSync(join(dir, `${name}.gz`), gz);
  writeFileSync(join(dir, `${name}.br`), br);
  sizes[name] = { raw: bytes.length, gzip: gz.length, brotli: br.length };
}
writeFileSync(join(dir, 'sizes.json'), JSON.stringify({ modules, sizes }, null, 2) + '\n');
const kb = (n) => `${(n / 1024).toFixed(0)} KB`;
for (const [build, name] of Object.entries(modules)) {
  const w = sizes[name];
  console.log(`${build} module ${name}: ${kb(w.raw)} raw, ${kb(w.gzip)} gzip, ${kb(w.brotli)} brotli`);
}
