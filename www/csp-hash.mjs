// Trunk post_build hook: replace 'unsafe-inline' in the CSP <meta> with the
// sha256 hashes of the inline scripts Trunk wrote (its wasm loader), so the
// built page runs under a strict, hash-based script-src on any static server.
import { createHash } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const dir = process.env.TRUNK_STAGING_DIR;
if (!dir) {
  console.error('csp-hash: TRUNK_STAGING_DIR is not set (run me as a Trunk hook)');
  process.exit(1);
}
const file = join(dir, 'index.html');
let html = readFileSync(file, 'utf8');
const hashes = [];
for (const m of html.matchAll(/<script\b(?![^>]*\bsrc=)[^>]*>([\s\S]*?)<\/script>/g)) {
  hashes.push(`'sha256-${createHash('sha256').update(m[1], 'utf8').digest('base64')}'`);
}
const before = html;
html = html.replace(/(<meta http-equiv="Content-Security-Policy"[^>]*content="[^"]*?)'unsafe-inline'/,
  (_, head) => head + (hashes.join(' ') || "'none'"));
if (html === before) {
  console.error("csp-hash: no 'unsafe-inline' in the CSP meta to replace");
  process.exit(1);
}
writeFileSync(file, html);
console.log(`csp-hash: ${hashes.length} inline script(s) hashed into the CSP`);
