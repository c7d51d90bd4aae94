// End-to-end tests (default) and in-browser benchmarks (--bench) for the
// built site in dist/, served by a tiny static server on 127.0.0.1 and driven
// with playwright-core + the system Chromium (no browser download).
//
//   node tests/e2e/run.mjs            # e2e tests; exits non-zero on any failure
//   node tests/e2e/run.mjs --bench    # prints the benchmark figures
//
// Env: DIST (default ../../dist), CHROMIUM (default /usr/bin/chromium),
//      E2E_URL (test an already running server instead, e.g. `make serve`).

import { createServer } from 'node:http';
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { extname, join, normalize, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { chromium } from 'playwright-core';

const here = fileURLToPath(new URL('.', import.meta.url));
const DIST = resolve(process.env.DIST ?? join(here, '..', '..', 'dist'));
const ARTIFACTS = join(here, 'artifacts');
const CHROMIUM = process.env.CHROMIUM ?? '/usr/bin/chromium';
const BENCH = process.argv.includes('--bench');
const CHROME_ARGS = [
  '--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync',
  '--disable-dev-shm-usage',
];

// ---- static server --------------------------------------------------------

const MIME = {
  '.html': 'text/html; charset=utf-8', '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8', '.css': 'text/css; charset=utf-8',
  '.wasm': 'application/wasm', '.svg': 'image/svg+xml', '.png': 'image/png',
  '.ico': 'image/x-icon', '.json': 'application/json', '.txt': 'text/plain; charset=utf-8',
};

function serve(root) {
  const server = createServer((req, res) => {
    let path;
    try {
      path = decodeURIComponent(new URL(req.url, 'http://x').pathname);
    } catch {
      res.writeHead(400).end();
      return;
    }
    if (path.endsWith('/')) path += 'index.html';
    const file = normalize(join(root, path));
    if (!file.startsWith(root + sep)) {
      res.writeHead(403).end();
      return;
    }
    let body;
    try {
      if (!statSync(file).isFile()) throw new Error('not a file');
      body = readFileSync(file);
    } catch {
      res.writeHead(404, { 'content-type': 'text/plain' }).end('not found');
      return;
    }
    res.writeHead(200, {
      'content-type': MIME[extname(file)] ?? 'application/octet-stream',
      'cache-control': 'no-store',
    });
    res.end(body);
  });
  return new Promise((ok, fail) => {
    server.once('error', fail);
    server.listen(0, '127.0.0.1', () => ok(server));
  });
}

// ---- tiny test harness ----------------------------------------------------

const results = [];
async function test(name, fn) {
  const t0 = Date.now();
  try {
    await fn();
    results.push({ name, ok: true });
    console.log(`  ok    ${name} (${Date.now() - t0} ms)`);
  } catch (e) {
    results.push({ name, ok: false, error: e });
    console.log(`  FAIL  ${name}\n        ${String(e?.stack ?? e).split('\n').slice(0, 4).join('\n        ')}`);
  }
}
function assert(cond, msg) {
  if (!cond) throw new Error(msg);
}
function eq(actual, expected, msg) {
  if (actual !== expected) throw new Error(`${msg}: expected ${JSON.stringify(expected)}, got ${JSON.stringify(actual)}`);
}

// ---- page helpers ---------------------------------------------------------

const sha = (s) => createHash('sha256').update(s).digest('hex').slice(0, 16);
const canvasHash = (page) => page.evaluate(() => document.getElementById('arena-map').toDataURL()).then(sha);
const text = (page, sel) => page.locator(sel).innerText();
async function stepInfo(page) {
  const t = await text(page, '.step-count');
  const m = /Step (\d+) \/ (\d+)/.exec(t);
  assert(m, `unexpected step counter "${t}"`);
  return { step: Number(m[1]), last: Number(m[2]) };
}
async function waitStep(page, pred, what, timeout = 5000) {
  // Polls from Node: the page's CSP forbids evaluating strings in it.
  const ok = new Function('s', 'l', `return ${pred}`);
  const end = Date.now() + timeout;
  let last;
  while (Date.now() < end) {
    last = await stepInfo(page);
    if (ok(last.step, last.last)) return last;
    await page.waitForTimeout(25);
  }
  throw new Error(`timed out waiting for ${what} (at step ${last?.step} of ${last?.last})`);
}

function watch(page, origin, log) {
  page.on('console', (m) => {
    if (m.type() === 'error') log.consoleErrors.push(m.text());
  });
  page.on('pageerror', (e) => log.consoleErrors.push(`pageerror: ${e.message}`));
  page.on('request', (r) => {
    const url = r.url();
    log.requests.push(url);
    if (!(url.startsWith(origin + '/') || url.startsWith('data:') || url.startsWith('blob:'))) log.external.push(url);
  });
  page.on('requestfailed', (r) => log.failed.push(`${r.url()} ${r.failure()?.errorText ?? ''}`));
  page.on('response', (r) => {
    if (r.status() >= 400) log.failed.push(`${r.url()} HTTP ${r.status()}`);
  });
}

async function openApp(browser, origin, log, opts = {}) {
  const context = await browser.newContext({ viewport: { width: 1280, height: 720 }, deviceScaleFactor: 1, ...opts });
  const page = await context.newPage();
  watch(page, origin, log);
  await page.goto(origin + '/', { waitUntil: 'load' });
  await page.getByRole('img', { name: 'Allocator map' }).waitFor({ timeout: 20000 });
  await page.waitForFunction(() => /arena/.test(document.getElementById('map-summary')?.textContent ?? ''), null, { timeout: 20000 });
  return { context, page };
}

// ---- benchmarks -----------------------------------------------------------

function wasmSizes() {
  const wasm = readdirSync(DIST).filter((f) => f.endsWith('.wasm'));
  assert(wasm.length === 1, `expected one .wasm in ${DIST}, found ${wasm.length}`);
  const bytes = readFileSync(join(DIST, wasm[0]));
  return { file: wasm[0], raw: bytes.length, gzip: gzipSync(bytes, { level: 9 }).length };
}

async function bench(browser, origin, log) {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, deviceScaleFactor: 1 });
  const page = await context.newPage();
  watch(page, origin, log);
  await page.goto(origin + '/?bench', { waitUntil: 'load' });
  await page.waitForSelector('#bench-results[data-done="true"]', { timeout: 180000 });
  const r = JSON.parse(await text(page, '#bench-results'));
  mkdirSync(ARTIFACTS, { recursive: true });
  await page.screenshot({ path: join(ARTIFACTS, 'bench.png'), fullPage: true });
  await context.close();
  const size = wasmSizes();
  const kb = (n) => `${(n / 1024).toFixed(1)} KiB`;
  const verdict = (ok) => (ok ? 'ok' : 'MISSED');
  console.log(`\npymem-web benchmarks (Chromium, headless, ${r.canvas_px} canvas at dpr ${r.dpr}, Python ${r.version})`);
  console.log(`  model alloc+free pairs/s (wasm)  ${(r.alloc_free_pairs_per_s / 1e6).toFixed(2)} M/s   [target >= 5 M/s: ${verdict(r.alloc_free_pairs_per_s >= 5e6)}]`);
  console.log(`  batched 4096 malloc + 4096 free  ${(r.batched_pairs_per_s / 1e6).toFixed(2)} M pairs/s`);
  assert(r.interp_exit === 0, `benches/programs/loop.py ran to the end in wasm (exit ${r.interp_exit})`);
  console.log(`  interpreter, loop.py on 3.11     ${r.interp_lines} lines in ${r.interp_ms.toFixed(1)} ms (best of 3) = ${(r.interp_lines / r.interp_ms / 1e3).toFixed(2)} M lines/s`);
  assert(r.gc_garbage_collected === 100000 && r.gc_live_collected === 0, `gc.collect() of the 100 000-list ring returned ${r.gc_garbage_collected} (garbage) and ${r.gc_live_collected} (alive)`);
  console.log(`  gc.collect() of a 100 000-list ring (3.11): garbage ${r.gc_garbage_ms.toFixed(1)} ms, alive ${r.gc_live_ms.toFixed(1)} ms (best of 3)`);
  console.log(`  draw full arena (${r.blocks} x 16 B blocks, ${r.pools} pools)`);
  console.log(`    render + putImageData          mean ${r.draw_ms_mean.toFixed(2)} ms, median ${r.draw_ms_median.toFixed(2)} ms, max ${r.draw_ms_max.toFixed(2)} ms   [target < 8 ms: ${verdict(r.draw_ms_median < 8)}]`);
  console.log(`    same at dpr 2 (${r.canvas_dpr2_px})   mean ${r.draw_dpr2_ms_mean.toFixed(2)} ms, median ${r.draw_dpr2_ms_median.toFixed(2)} ms`);
  console.log(`    pixels only (Rust)             mean ${r.render_only_ms_mean.toFixed(2)} ms, median ${r.render_only_ms_median.toFixed(2)} ms`);
  console.log(`  wasm size ${size.file}`);
  console.log(`    raw ${kb(size.raw)} (${size.raw} B), gzip -9 ${kb(size.gzip)} (${size.gzip} B)   [target < 400 KB gzip: ${verdict(size.gzip < 400 * 1024)}]`);
  return { ...r, wasm_raw: size.raw, wasm_gzip: size.gzip };
}

// ---- e2e tests ------------------------------------------------------------

async function e2e(browser, origin, log) {
  mkdirSync(ARTIFACTS, { recursive: true });
  const { context, page } = await openApp(browser, origin, log);

  await test('page loads: title, landmarks and accessible controls', async () => {
    assert(/pymem/.test(await page.title()), 'title mentions pymem');
    const version = page.getByLabel('Python version');
    eq(await version.evaluate((e) => e.tagName), 'SELECT', 'version control');
    const options = await version.locator('option').allInnerTexts();
    for (const v of ['3.8', '3.10', '3.12']) assert(options.includes(v), `version ${v} offered (${options})`);
    eq(await version.inputValue(), '3.12', 'default version');
    for (const name of ['Step forward', 'Step back', 'Play', 'Back to start', 'Run to end']) {
      eq(await page.getByRole('button', { name, exact: true }).count(), 1, `button "${name}"`);
    }
    const map = page.getByRole('img', { name: 'Allocator map' });
    eq(await map.getAttribute('tabindex'), '0', 'map is focusable');
    const described = await map.getAttribute('aria-describedby');
    assert(/arenas?, \d+ pools? in use, \d+ blocks? allocated/.test(await text(page, `#${described}`)), 'map has a text summary');
    eq(await page.locator('#narration').getAttribute('aria-live'), 'polite', 'narration is a polite live region');
    const s = await stepInfo(page);
    eq(s.step, 0, 'starts at step 0');
    assert(s.last > 10, `scenario has steps (${s.last})`);
    assert(/bytes\/arena/.test(await text(page, '#stats')), 'stats text shown');
  });

  await test('stepping changes the map and the stats; back restores them', async () => {
    const h0 = await canvasHash(page);
    const st0 = await text(page, '#stats');
    const sum0 = await text(page, '#map-summary');
    await page.getByRole('button', { name: 'Step forward', exact: true }).click();
    await waitStep(page, 's === 1', 'step 1');
    const h1 = await canvasHash(page);
    assert(h1 !== h0, 'canvas pixels changed after one step');
    assert((await text(page, '#stats')) !== st0, 'stats text changed after one step');
    assert((await text(page, '#narration')).length > 0, 'narration shown');
    await page.getByRole('button', { name: 'Step back', exact: true }).click();
    await waitStep(page, 's === 0', 'step 0');
    eq(await canvasHash(page), h0, 'canvas after step back');
    eq(await text(page, '#stats'), st0, 'stats after step back');
    const { last } = await page.getByRole('button', { name: 'Run to end', exact: true }).click().then(() => waitStep(page, 's === l', 'last step'));
    await page.locator('#scrubber').fill(String(Math.floor(last / 3)));
    await waitStep(page, `s === ${Math.floor(last / 3)}`, 'a third of the way');
    assert((await text(page, '#stats')) !== st0, 'stats text changed a third of the way in');
    assert((await text(page, '#map-summary')) !== sum0, 'summary changed a third of the way in');
    assert((await canvasHash(page)) !== h0, 'map changed a third of the way in');
    await page.getByRole('button', { name: 'Back to start', exact: true }).click();
    await waitStep(page, 's === 0', 'step 0 again');
    eq(await canvasHash(page), h0, 'canvas back at start');
  });

  await test('scrubber seeks', async () => {
    const { last } = await stepInfo(page);
    const target = Math.floor(last / 2);
    await page.locator('#scrubber').fill(String(target));
    await waitStep(page, `s === ${target}`, `step ${target}`);
    await page.getByRole('button', { name: 'Back to start', exact: true }).click();
    await waitStep(page, 's === 0', 'step 0');
  });

  await test('version switch changes arena and pool sizes, keeps the step', async () => {
    await page.locator('#scrubber').fill('40');
    await waitStep(page, 's === 40', 'step 40');
    const h312 = await canvasHash(page);
    const st312 = await text(page, '#stats');
    assert(/arenas \* 1048576 bytes\/arena/.test(st312), '3.12 stats: 1 MiB arenas');
    await page.getByLabel('Python version').selectOption('3.8');
    await page.waitForFunction(() => /262144 bytes\/arena/.test(document.getElementById('stats').textContent));
    const st38 = await text(page, '#stats');
    assert(/arenas \* 262144 bytes\/arena/.test(st38), '3.8 stats: 256 KiB arenas');
    assert(!/1048576 bytes\/arena/.test(st38), '3.8 stats: no 1 MiB arenas');
    eq((await stepInfo(page)).step, 40, 'step kept across the switch');
    assert((await canvasHash(page)) !== h312, 'map redrawn for 3.8');
    // Pool size shows in the inspector: 4 KiB pools of 3.8 hold 253 16-byte blocks at most.
    await page.getByRole('img', { name: 'Allocator map' }).focus();
    await page.keyboard.press('Enter');
    await page.locator('#pool-inspector').waitFor();
    const insp38 = await text(page, '#pool-inspector');
    assert(/szidx/.test(insp38) && /nextoffset/.test(insp38), 'inspector shows header fields');
    const cap38 = /count\s+\d+ of (\d+)/.exec(insp38);
    assert(cap38, `capacity shown in "${insp38}"`);
    await page.keyboard.press('Escape'); // drop the selection ring before comparing maps
    await page.getByLabel('Python version').selectOption('3.10');
    await page.waitForFunction(() => /1048576 bytes\/arena/.test(document.getElementById('stats').textContent));
    eq((await stepInfo(page)).step, 40, 'step kept across the second switch');
    await page.getByLabel('Python version').selectOption('3.12');
    await page.waitForFunction(() => /1048576 bytes\/arena/.test(document.getElementById('stats').textContent));
    eq(await canvasHash(page), h312, 'back on 3.12 the map is identical (deterministic)');
  });

  await test('keyboard shortcuts: arrows, Home/End, space', async () => {
    await page.getByRole('button', { name: 'Back to start', exact: true }).click();
    await waitStep(page, 's === 0', 'step 0');
    await page.locator('#map-summary').click(); // focus the page body, not a control
    await page.keyboard.press('ArrowRight');
    await waitStep(page, 's === 1', 'ArrowRight');
    await page.keyboard.press('ArrowRight');
    await waitStep(page, 's === 2', 'ArrowRight twice');
    await page.keyboard.press('ArrowLeft');
    await waitStep(page, 's === 1', 'ArrowLeft');
    await page.keyboard.press('End');
    await waitStep(page, 's === l', 'End');
    await page.keyboard.press('Home');
    await waitStep(page, 's === 0', 'Home');
    // With a button focused (after a click), the arrows still step.
    await page.getByRole('button', { name: 'Step forward', exact: true }).click();
    await waitStep(page, 's === 1', 'Step forward click');
    await page.keyboard.press('ArrowRight');
    await waitStep(page, 's === 2', 'ArrowRight with a button focused');
    await page.keyboard.press('Home');
    await waitStep(page, 's === 0', 'Home with a button focused');
    await page.locator('#map-summary').click();
    await page.keyboard.press(' ');
    await page.getByRole('button', { name: 'Pause', exact: true }).waitFor({ timeout: 3000 });
    await waitStep(page, 's >= 2', 'playback advancing');
    await page.keyboard.press(' ');
    await page.getByRole('button', { name: 'Play', exact: true }).waitFor({ timeout: 3000 });
    const a = (await stepInfo(page)).step;
    await page.waitForTimeout(700);
    eq((await stepInfo(page)).step, a, 'paused: step no longer moves');
  });

  await test('play button toggles its name and plays', async () => {
    await page.getByRole('button', { name: 'Back to start', exact: true }).click();
    await page.locator('#speed').selectOption({ label: '50 steps/s' });
    await page.getByRole('button', { name: 'Play', exact: true }).click();
    await page.getByRole('button', { name: 'Pause', exact: true }).waitFor({ timeout: 3000 });
    await waitStep(page, 's >= 10', 'ten steps played');
    await page.getByRole('button', { name: 'Pause', exact: true }).click();
    await page.getByRole('button', { name: 'Play', exact: true }).waitFor({ timeout: 3000 });
  });

  await test('pool inspector: hover, click and arrow keys on the focused map', async () => {
    await page.locator('#scrubber').fill('30');
    await waitStep(page, 's === 30', 'step 30');
    const map = page.getByRole('img', { name: 'Allocator map' });
    const box = await map.boundingBox();
    await page.mouse.move(box.x + box.width + 50, box.y);
    await page.waitForTimeout(50);
    const plain = await canvasHash(page);
    // First pool of the first arena: below the 18 px label row, inside the 4 px margin.
    await page.mouse.move(box.x + 10, box.y + 4 + 18 + 8);
    await page.locator('#pool-inspector').waitFor({ timeout: 3000 });
    await page.waitForTimeout(50);
    assert((await canvasHash(page)) !== plain, 'hovering rings the pool on the canvas');
    assert(/pool\s+\d+\.0\b/.test(await text(page, '#pool-inspector')), 'hovered pool 0 is inspected');
    await page.mouse.click(box.x + 10, box.y + 4 + 18 + 8);
    await page.mouse.move(box.x + box.width + 50, box.y); // leave; selection stays
    await map.focus();
    await page.keyboard.press('ArrowRight');
    await page.waitForFunction(() => /pool\s+\d+\.1\b/.test(document.getElementById('pool-inspector')?.innerText ?? ''));
    const insp = await text(page, '#pool-inspector');
    for (const f of ['szidx', 'block size', 'count', 'free list length', 'nextoffset', 'maxnextoffset', 'state', 'linked in']) {
      assert(insp.includes(f), `inspector shows ${f}`);
    }
    assert(/usedpools\[\d+\]|freepools|full|not carved/.test(insp), `inspector shows the pool's list (${insp})`);
    eq((await stepInfo(page)).step, 30, 'arrows on the map move the pool cursor, not the step');
    await page.keyboard.press('Escape');
    await page.locator('#pool-inspector').waitFor({ state: 'detached', timeout: 3000 });
    // Hover and selection repaint only the pools they ring: once both are
    // gone, every pixel must be back exactly.
    await page.waitForTimeout(50);
    eq(await canvasHash(page), plain, 'canvas after the rings are gone');
  });

  await test('usable_arenas panel lists arenas with nfreepools', async () => {
    const list = await text(page, '.usable');
    assert(/usable_arenas/.test(list), 'heading');
    assert(/arena #\d+: \d+ free pools|Empty/.test(list), `entries (${list})`);
  });

  await test('screenshots saved', async () => {
    // Mid-scenario (every other block freed) with a pool selected: the
    // picture the README shows (docs/screenshot.png is a copy of it).
    await page.locator('#scrubber').fill('4500');
    await waitStep(page, 's === 4500', 'step 4500');
    const map = page.getByRole('img', { name: 'Allocator map' });
    const box = await map.boundingBox();
    assert(box, 'map has a box');
    await page.mouse.click(box.x + box.width * 0.45, box.y + box.height * 0.2);
    assert(/pool\s+\d+\.\d+/.test(await text(page, '#pool-inspector')), 'clicked pool is inspected');
    await page.screenshot({ path: join(ARTIFACTS, 'app-light.png') });
    await page.getByRole('button', { name: 'Run to end', exact: true }).click();
    const dark = await openApp(browser, origin, log, { colorScheme: 'dark', reducedMotion: 'reduce' });
    await dark.page.keyboard.press('End');
    await dark.page.screenshot({ path: join(ARTIFACTS, 'app-dark.png') });
    await dark.context.close();
    const hidpi = await openApp(browser, origin, log, { deviceScaleFactor: 2 });
    const c = await hidpi.page.evaluate(() => {
      const el = document.getElementById('arena-map');
      return { w: el.width, css: el.getBoundingClientRect().width };
    });
    assert(Math.abs(c.w - 2 * c.css) <= 2, `canvas backing store follows devicePixelRatio (${c.w} px for ${c.css} CSS px)`);
    await hidpi.context.close();
  });

  await test('no console errors, no failed or external requests', async () => {
    assert(log.requests.length > 0, 'requests were recorded');
    eq(log.external.length, 0, `external requests ${JSON.stringify(log.external)}`);
    eq(log.failed.length, 0, `failed requests ${JSON.stringify(log.failed)}`);
    eq(log.consoleErrors.length, 0, `console errors ${JSON.stringify(log.consoleErrors)}`);
  });

  await context.close();
}

// ---- main -----------------------------------------------------------------

const server = process.env.E2E_URL ? null : await serve(DIST);
const origin = process.env.E2E_URL?.replace(/\/+$/, '') ?? `http://127.0.0.1:${server.address().port}`;
const log = { requests: [], external: [], failed: [], consoleErrors: [] };
let browser;
let code = 0;
try {
  statSync(join(DIST, 'index.html'));
  browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: CHROME_ARGS });
  if (BENCH) {
    await bench(browser, origin, log);
    if (log.external.length || log.consoleErrors.length) {
      console.log(`bench page problems: ${JSON.stringify({ external: log.external, errors: log.consoleErrors })}`);
      code = 1;
    }
  } else {
    console.log(`e2e: ${DIST} at ${origin}, Chromium ${browser.version()}`);
    await e2e(browser, origin, log);
    const failed = results.filter((r) => !r.ok).length;
    const ext = log.external.length;
    console.log(
      `\ne2e: ${log.requests.length} requests, ${ext} outside ${origin}; ` +
        `${log.consoleErrors.length} console errors; screenshots in tests/e2e/artifacts/`,
    );
    // The plain closing line CI reads: "N passed, N failed" alone on a line.
    console.log(`e2e: ${results.length - failed} passed, ${failed} failed`);
    if (failed) code = 1;
  }
} catch (e) {
  console.error(`e2e: ${e?.stack ?? e}`);
  code = 1;
} finally {
  await browser?.close().catch(() => {});
  server?.close();
}
process.exit(code);
