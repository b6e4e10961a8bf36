// Starts the wasm app. The API's CSP (script-src 'self' 'wasm-unsafe-eval') forbids inline
// scripts: build/assemble.mjs puts the hashed file names on this script's tag instead, and this
// file (served from 'self') loads them.
const tag = document.getElementById('sas-boot');
const { default: init } = await import(tag.dataset.js);
await init({ module_or_path: tag.dataset.wasm });
