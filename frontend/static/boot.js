// Starts the wasm app. Trunk would inject an inline <script>, which the API's CSP
// (script-src 'self' 'wasm-unsafe-eval') forbids: Trunk.toml's pattern_script puts the
// hashed file names on this script's tag instead, and this file (served from 'self') loads them.
const tag = document.getElementById('sas-boot');
const { default: init } = await import(tag.dataset.js);
await init({ module_or_path: tag.dataset.wasm });
