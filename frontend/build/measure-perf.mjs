// Measures what docs/frontend-performance.md reports: the bytes a first visit downloads (raw,
// and gzipped as a compressing server or proxy would send them) and the time to first render,
// on the login page, cache disabled. Usage: node build/measure-perf.mjs http://127.0.0.1:PORT [runs]
import { chromium } from 'playwright-core';
import { readFileSync, existsSync } from 'node:fs';
import { gzipSync, brotliCompressSync, constants } from 'node:zlib';
import { join } from 'node:path';

const base = process.argv[2] || 'http://127.0.0.1:8080';
const runs = Number(process.argv[3] || 5);
const dist = new URL('../dist', import.meta.url).pathname;

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM_PATH || '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
    '--disable-background-networking', '--disable-component-update', '--disable-sync'],
});
const times = [];
let resources = [];
for (let i = 0; i < runs; i++) {
  const context = await browser.newContext({ locale: 'fr-FR', viewport: { width: 1280, height: 900 } });
  const page = await context.newPage();
  const cdp = await context.newCDPSession(page);
  await cdp.send('Network.setCacheDisabled', { cacheDisabled: true });
  // Records when the login form's heading appears (the first useful render).
  await page.addInitScript(() => {
    new MutationObserver((_, obs) => {
      const h = document.querySelector('h1#titre-page');
      if (h && h.textContent.includes('Connexion')) {
        window.__loginShownMs = performance.now();
        obs.disconnect();
      }
    }).observe(document, { childList: true, subtree: true });
  });
  await page.goto(`${base}/`, { waitUntil: 'networkidle' });
  await page.waitForFunction(() => window.__loginShownMs !== undefined);
  const t = await page.evaluate(() => {
    const nav = performance.getEntriesByType('navigation')[0];
    return {
      appMounted: Number(document.documentElement.dataset.firstRenderMs),
      loginShown: window.__loginShownMs,
      domContentLoaded: nav.domContentLoadedEventEnd,
      fcp: performance.getEntriesByName('first-contentful-paint')[0]?.startTime,
    };
  });
  times.push(t);
  if (i === 0) {
    resources = await page.evaluate(() => [
      { name: location.href, transfer: performance.getEntriesByType('navigation')[0].transferSize, body: performance.getEntriesByType('navigation')[0].encodedBodySize },
      ...performance.getEntriesByType('resource').map((r) => ({ name: r.name, transfer: r.transferSize, body: r.encodedBodySize })),
    ]);
  }
  await context.close();
}
await browser.close();

const median = (xs) => { const s = [...xs].sort((a, b) => a - b); return s[Math.floor(s.length / 2)]; };
let rawTotal = 0, gzTotal = 0, brTotal = 0;
const rows = [];
const seen = new Set();
for (const r of resources) {
  let path = new URL(r.name).pathname;
  if (path.startsWith('/api/') || seen.has(path)) continue;
  seen.add(path);
  // The document itself is index.html, whatever the deep link.
  const file = join(dist, r === resources[0] || path === '/' ? 'index.html' : path);
  if (r === resources[0]) path = `${path} (index.html)`;
  const raw = existsSync(file) ? readFileSync(file) : null;
  const size = raw ? raw.length : r.body;
  const compressible = !/\.(woff2?|png)$/.test(path);
  const gz = raw && compressible ? gzipSync(raw, { level: 9 }).length : size;
  const br = raw && compressible
    ? brotliCompressSync(raw, { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } }).length : size;
  rawTotal += size; gzTotal += gz; brTotal += br;
  rows.push(`| \`${path}\` | ${size} | ${gz} | ${br} |${compressible ? '' : ' already compressed (woff2)'}`);
}
console.log('| resource | raw bytes | gzip -9 | brotli 11 |\n|---|---:|---:|---:|');
console.log(rows.join('\n'));
console.log(`| **total** | **${rawTotal}** | **${gzTotal}** | **${brTotal}** |`);
console.log(`\nruns: ${runs}`);
for (const k of ['domContentLoaded', 'fcp', 'appMounted', 'loginShown']) {
  console.log(`${k}: median ${median(times.map((t) => t[k])).toFixed(0)} ms (${times.map((t) => (t[k] ?? NaN).toFixed(0)).join(', ')})`);
}
