// First step of scripts/frontend-build.sh: builds vendor/dsfr/ from node_modules/@gouvfr/dsfr: one stylesheet with
// the DSFR core and only the components the app uses, plus the fonts and icons it references
// (bundled, served from 'self': no CDN). Re-run by every build, so an npm update is picked up.
import { readFileSync, writeFileSync, mkdirSync, copyFileSync, rmSync, existsSync } from 'node:fs';
import { dirname, join, posix } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const pkg = join(root, 'node_modules', '@gouvfr', 'dsfr');
const dist = join(pkg, 'dist');
const out = join(root, 'vendor', 'dsfr');
if (!existsSync(dist)) {
  console.error('vendor-dsfr: node_modules/@gouvfr/dsfr is missing; run scripts/frontend-setup.sh');
  process.exit(1);
}

// Keep in step with the markup of src/components and src/pages.
const COMPONENTS = [
  'link', 'button', 'form', 'input', 'select', 'checkbox', 'radio', 'segmented', 'alert',
  'upload', 'badge', 'tag', 'callout', 'breadcrumb', 'skiplink', 'modal', 'navigation',
  'logo', 'header', 'footer',
];
const files = ['core/core.main.min.css', ...COMPONENTS.map((c) => {
  const main = `component/${c}/${c}.main.min.css`;
  return existsSync(join(dist, main)) ? main : `component/${c}/${c}.min.css`;
})];

rmSync(out, { recursive: true, force: true });
mkdirSync(out, { recursive: true });
const assets = new Set();
let css = '';
for (const f of files) {
  const text = readFileSync(join(dist, f), 'utf8').replace(/\/\*# sourceMappingURL=[^*]*\*\/\s*$/, '');
  // url() paths are relative to each source file: rewrite them as absolute paths under /dsfr/
  // (the stylesheet itself is hashed by build/assemble.mjs and served from the root).
  css += text.replace(/url\(\s*(["']?)([^"')]+)\1\s*\)/g, (all, quote, u) => {
    if (u.startsWith('data:') || u.startsWith('#') || /^[a-z]+:/i.test(u)) return all;
    const clean = u.split(/[?#]/)[0];
    const rel = posix.normalize(posix.join(posix.dirname(f), clean));
    if (rel.startsWith('..') || !existsSync(join(dist, rel))) return all;
    assets.add(rel);
    return `url(${quote}/dsfr/${rel}${quote})`;
  }) + '\n';
}
// The stylesheet sits beside the asset folder: assemble.mjs hashes it and copies the folder.
writeFileSync(join(root, 'vendor', 'dsfr.min.css'), css);
for (const a of assets) {
  mkdirSync(dirname(join(out, a)), { recursive: true });
  copyFileSync(join(dist, a), join(out, a));
}
copyFileSync(join(pkg, 'LICENSE.md'), join(out, 'LICENSE.md'));
const version = JSON.parse(readFileSync(join(pkg, 'package.json'), 'utf8')).version;
console.log(`vendor-dsfr: DSFR ${version}, core + ${COMPONENTS.length} components (${css.length} bytes), ${assets.size} fonts and icons`);
