// Assembles frontend/dist from the optimised wasm and its JavaScript glue (in STAGE, written by
// wasm-bindgen and wasm-opt), the stylesheets, the DSFR assets and index.html:
//   - content-hashed names for everything a page references (cached as immutable by the API);
//   - `integrity` (SHA-384) on every stylesheet, icon and preload;
//   - the loader the API's CSP allows (script-src 'self'): no inline script, a tag pointing at
//     boot.js that carries the hashed names (static/boot.js reads them);
//   - precompressed .br (quality 11) and .gz (level 9) siblings of the text files, which the API
//     serves when the browser accepts them.
// The new dist is built beside the old one and swapped in at the end.
// Usage: node build/assemble.mjs STAGE [--no-compress]
import { createHash } from 'node:crypto';
import {
  copyFileSync, cpSync, existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync,
} from 'node:fs';
import { dirname, join, basename, extname } from 'node:path';
import { fileURLToPath } from 'node:url';
import zlib from 'node:zlib';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const stage = process.argv[2];
const compress = !process.argv.includes('--no-compress');
if (!stage || !existsSync(join(stage, 'sas-frontend_bg.wasm'))) {
  console.error('assemble: usage: node build/assemble.mjs STAGE (with sas-frontend.js and sas-frontend_bg.wasm)');
  process.exit(1);
}
const out = join(root, 'dist.new');
rmSync(out, { recursive: true, force: true });
mkdirSync(out, { recursive: true });

const hash = (...parts) => {
  const h = createHash('sha256');
  for (const p of parts) h.update(p);
  return h.digest('hex').slice(0, 16);
};
const sri = (data) => `sha384-${createHash('sha384').update(data).digest('base64')}`;

// The wasm and its glue share one hash (the glue is only valid with its wasm).
const wasm = readFileSync(join(stage, 'sas-frontend_bg.wasm'));
const js = readFileSync(join(stage, 'sas-frontend.js'));
const appHash = hash(wasm, js);
const wasmName = `sas-frontend-${appHash}_bg.wasm`;
const jsName = `sas-frontend-${appHash}.js`;
writeFileSync(join(out, wasmName), wasm);
writeFileSync(join(out, jsName), js);

// Local files referenced by index.html: copied under a hashed name.
let html = readFileSync(join(root, 'index.html'), 'utf8');
html = html.replace(/\s*<!--(?!\s*sas:boot)[\s\S]*?-->/g, '');
html = html.replace(/<link ([^>]*?)href="([^":]+)"([^>]*)>/g, (tag, before, href, after) => {
  const data = readFileSync(join(root, href));
  const ext = extname(href);
  const name = `${basename(href, ext)}-${hash(data)}${ext}`;
  writeFileSync(join(out, name), data);
  return `<link ${before}href="/${name}"${after} integrity="${sri(data)}">`;
});
const boot = [
  `<script type="module" id="sas-boot" src="/boot.js" data-js="/${jsName}" data-wasm="/${wasmName}"></script>`,
  `<link rel="modulepreload" href="/${jsName}" crossorigin="anonymous" integrity="${sri(js)}">`,
  `<link rel="preload" href="/${wasmName}" crossorigin="anonymous" integrity="${sri(wasm)}" as="fetch" type="application/wasm">`,
].join('\n    ');
if (!html.includes('<!-- sas:boot -->')) throw new Error('index.html has no <!-- sas:boot --> marker');
html = html.replace('<!-- sas:boot -->', boot);
writeFileSync(join(out, 'index.html'), html);
// The loader keeps its name: index.html (never cached) points at it.
copyFileSync(join(root, 'static', 'boot.js'), join(out, 'boot.js'));
// The DSFR's fonts and icons, referenced as /dsfr/… by the vendored stylesheet.
cpSync(join(root, 'vendor', 'dsfr'), join(out, 'dsfr'), { recursive: true });

const walk = (d) => readdirSync(d, { withFileTypes: true }).flatMap((e) =>
  e.isDirectory() ? walk(join(d, e.name)) : [join(d, e.name)]);
if (compress) {
  for (const f of walk(out)) {
    if (!/\.(wasm|js|css|html|svg)$/.test(f)) continue;
    const data = readFileSync(f);
    writeFileSync(`${f}.br`, zlib.brotliCompressSync(data, {
      params: {
        [zlib.constants.BROTLI_PARAM_QUALITY]: 11,
        [zlib.constants.BROTLI_PARAM_SIZE_HINT]: data.length,
      },
    }));
    writeFileSync(`${f}.gz`, zlib.gzipSync(data, { level: 9 }));
  }
}

const dist = join(root, 'dist');
rmSync(dist, { recursive: true, force: true });
renameSync(out, dist);
const gz = (b) => zlib.gzipSync(b, { level: 9 }).length;
console.log(`assemble: ${wasmName} ${wasm.length} bytes (${gz(wasm)} gzipped), ${jsName} ${js.length} bytes (${gz(js)} gzipped)`);
console.log(`assemble: dist/ written${compress ? ', with precompressed .br and .gz siblings' : ''}`);
