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
/** Waits for the map's fade between steps to end. */
const mapSettled = (page) => page.waitForFunction(() => !document.getElementById('arena-map')?.hasAttribute('data-animating'), null, { timeout: 3000 });
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
  const app = await benchApp(browser, origin, log);
  return { ...r, ...app, wasm_raw: size.raw, wasm_gzip: size.gzip };
}

/** Bytes of every file in dist/, raw and gzip -9: what a first visit transfers. */
function transferSizes() {
  let raw = 0;
  let gzip = 0;
  for (const f of readdirSync(DIST)) {
    const p = join(DIST, f);
    if (!statSync(p).isFile()) continue;
    const bytes = readFileSync(p);
    raw += bytes.length;
    gzip += gzipSync(bytes, { level: 9 }).length;
  }
  return { raw, gzip };
}

/** Median of a list of numbers. */
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

/**
 * The visualizer itself: first paint, step/seek to painted frame on a heap
 * of 10 000 objects, playback frame rate with the arena map in view, and
 * the transfer size.
 */
/** Starts recording the gaps between the page's frames (a frozen main thread shows as one long gap). */
const startFrameGaps = (page) => page.evaluate(() => {
  window.__gaps = [];
  window.__stopGaps = false;
  let last = performance.now();
  const f = (t) => {
    window.__gaps.push(t - last);
    last = t;
    if (!window.__stopGaps) requestAnimationFrame(f);
  };
  requestAnimationFrame(f);
});
/** Stops it and returns the gaps in ms. */
const stopFrameGaps = (page) => page.evaluate(() => { window.__stopGaps = true; return window.__gaps; });

async function benchApp(browser, origin, log) {
  const verdict = (ok) => (ok ? 'ok' : 'MISSED');
  const context = await browser.newContext({ viewport: { width: 1280, height: 720 }, deviceScaleFactor: 1 });
  const page = await context.newPage();
  watch(page, origin, log);
  await page.goto(origin + '/', { waitUntil: 'load' });
  await page.getByRole('button', { name: 'Step forward', exact: true }).waitFor({ timeout: 20000 });
  const first = await page.evaluate(() => {
    const fcp = performance.getEntriesByName('first-contentful-paint')[0]?.startTime ?? NaN;
    return { fcp, ready: performance.now() };
  });
  // First interactive paint: the controls are in the DOM and the next frame has painted.
  const interactive = await page.evaluate(() => new Promise((ok) => requestAnimationFrame(() => setTimeout(() => ok(performance.now()), 0))));

  // A heap of 10 000 objects: 5 000 one-item lists and their 5 000 ints (over 256, so not cached).
  const src = 'xs = []\nfor i in range(5000):\n    xs.append([i + 1000])\ny = len(xs)\nz = y + 1\n';
  // Recording it in the worker: time until the whole trace is in, and the
  // longest gap between frames on the main thread meanwhile.
  await startFrameGaps(page);
  const recordStart = Date.now();
  await page.getByRole('textbox', { name: 'Code' }).fill(src);
  await waitStep(page, 'l > 10000', 'the 10 000-object program', 60000);
  await page.waitForFunction(() => !document.getElementById('run-progress'), null, { timeout: 60000 });
  const recordMs = Date.now() - recordStart - 400; // less the editor's 400 ms debounce
  const gaps = await stopFrameGaps(page);
  const { last } = await stepInfo(page);
  await page.getByRole('button', { name: 'Run to end', exact: true }).click();
  await waitStep(page, `s === ${last}`, 'the end');
  const objects = await page.evaluate(() => document.querySelector('svg.graph')?.getAttribute('aria-label') ?? '');
  // A step: the latency to the painted frame (which includes waiting for
  // the next vsync, up to 16.7 ms at 60 Hz), and the work in it: the
  // click's handling and Yew's render (until a task after them), plus the
  // frame's style, layout and paint (from the frame's start to a task
  // after it).
  // `kind` 'step' clicks Step back / Step forward in turn; 'seek' moves
  // the scrubber between far-apart steps (each a checkpoint and replay).
  // A person's click comes at any moment of a frame, so the clicks are
  // spread over it: 0 to 14.4 ms after a frame, in steps of 1.6 ms.
  const frameTimes = (kind) => page.evaluate(async (kind) => {
    const last = Number(document.getElementById('scrubber').max);
    const latency = [];
    const busy = [];
    for (let i = 0; i < 20; i++) {
      await new Promise((ok) => requestAnimationFrame(() => setTimeout(ok, (i % 10) * 1.6)));
      const t0 = performance.now();
      if (kind === 'step') {
        document.getElementById(i % 2 ? 'btn-forward' : 'btn-back').click();
      } else {
        const el = document.getElementById('scrubber');
        el.value = String(i % 2 ? last : Math.floor((last * (i + 1)) / 23));
        el.dispatchEvent(new Event('input', { bubbles: true }));
      }
      await new Promise((ok) => setTimeout(ok, 0));
      const handled = performance.now();
      await new Promise((ok) => requestAnimationFrame(ok));
      const frame = performance.now();
      await new Promise((ok) => setTimeout(ok, 0));
      const painted = performance.now();
      latency.push(painted - t0);
      busy.push(handled - t0 + (painted - frame));
    }
    return { latency, busy };
  }, kind);
  const { latency: steps, busy: stepBusy } = await frameTimes('step');
  const { latency: seeks, busy: seekBusy } = await frameTimes('seek');

  // The worst case for the graph: a chain of 5 000 lists (and their 5 000
  // ints), each reached through the one after, so 300 boxes are laid out
  // and a seek changes every one of them. Timed at the default zoom and
  // zoomed out to fit (the most boxes on screen).
  const chain = 'head = None\nfor i in range(5000):\n    head = [head, i + 1000]\ny = 1\nz = y + 1\n';
  await page.getByRole('textbox', { name: 'Code' }).fill(chain);
  // It has as many steps as the last program: wait for its graph.
  await page.waitForFunction(() => / 300 objects/.test(document.querySelector('svg.graph')?.getAttribute('aria-label') ?? ''), null, { timeout: 60000 });
  await page.waitForFunction(() => !document.getElementById('run-progress'), null, { timeout: 60000 });
  const { step: chainAt, last: chainLast } = await stepInfo(page);
  // The step is kept across the edit, so this may be the end already.
  if (chainAt !== chainLast) await page.getByRole('button', { name: 'Run to end', exact: true }).click();
  await waitStep(page, `s === ${chainLast}`, 'the end');
  const chainObjects = await page.evaluate(() => document.querySelector('svg.graph')?.getAttribute('aria-label') ?? '');
  const chainSteps = await frameTimes('step');
  const chainSeeks = await frameTimes('seek');
  await page.getByRole('button', { name: 'Fit', exact: true }).click();
  const fitBoxes = await page.evaluate(() => new Promise((ok) => requestAnimationFrame(() => ok(document.querySelectorAll('svg.graph .node').length))));
  const fitSeeks = await frameTimes('seek');

  // Playback at the top speed with the arena map on screen: frames painted per second.
  await page.getByRole('button', { name: 'Back to start', exact: true }).click();
  await page.locator('#speed').selectOption({ label: '100 steps/s' });
  await page.getByRole('region', { name: 'Allocator map' }).scrollIntoViewIfNeeded();
  await page.getByRole('button', { name: 'Play', exact: true }).click();
  const fps = await page.evaluate(() => new Promise((ok) => {
    let frames = 0;
    const t0 = performance.now();
    const tick = () => {
      frames++;
      if (performance.now() - t0 < 3000) requestAnimationFrame(tick);
      else ok((frames * 1000) / (performance.now() - t0));
    };
    requestAnimationFrame(tick);
  }));
  const played = (await stepInfo(page)).step;
  await page.getByRole('button', { name: 'Pause', exact: true }).click();
  await context.close();

  const size = transferSizes();
  const kb = (n) => `${(n / 1024).toFixed(1)} KiB`;
  const stepMed = median(steps);
  const busyMed = median(stepBusy);
  const seekMed = median(seeks);
  const seekBusyMed = median(seekBusy);
  console.log(`\nvisualizer (1280x720, dpr 1)`);
  console.log(`  first contentful paint ${first.fcp.toFixed(0)} ms; interactive (controls mounted, next frame painted) ${interactive.toFixed(0)} ms   [target < 1000 ms: ${verdict(interactive < 1000)}]`);
  console.log(`  heap: ${objects}`);
  console.log(`  recording it in the worker: ${recordMs} ms to the whole trace; longest main-thread frame gap meanwhile ${Math.max(...gaps).toFixed(0)} ms`);
  console.log(`  step, work per frame (handling + render + style/layout/paint): median ${busyMed.toFixed(1)} ms, max ${Math.max(...stepBusy).toFixed(1)} ms (20 steps)   [target < 16 ms: ${verdict(busyMed < 16)}]`);
  console.log(`  step to painted frame, vsync wait included: median ${stepMed.toFixed(1)} ms, max ${Math.max(...steps).toFixed(1)} ms   [target < 16 ms: ${verdict(stepMed < 16)}; 16.7 ms is one frame at 60 Hz]`);
  console.log(`  seek, work per frame: median ${seekBusyMed.toFixed(1)} ms, max ${Math.max(...seekBusy).toFixed(1)} ms (20 seeks over ${last} steps)   [target < 16 ms: ${verdict(seekBusyMed < 16)}]`);
  console.log(`  seek to painted frame, vsync wait included: median ${seekMed.toFixed(1)} ms, max ${Math.max(...seeks).toFixed(1)} ms   [target < 16 ms: ${verdict(seekMed < 16)}]`);
  const med = (xs) => median(xs).toFixed(1);
  console.log(`  chain of 5 000 lists (${chainObjects}):`);
  console.log(`    step: work ${med(chainSteps.busy)} ms, to painted frame ${med(chainSteps.latency)} ms; seek: work ${med(chainSeeks.busy)} ms (max ${Math.max(...chainSeeks.busy).toFixed(1)}), to painted frame ${med(chainSeeks.latency)} ms   [target < 16 ms: ${verdict(median(chainSeeks.busy) < 16)}]`);
  console.log(`    zoomed out to fit (${fitBoxes} boxes on screen): seek work ${med(fitSeeks.busy)} ms (max ${Math.max(...fitSeeks.busy).toFixed(1)}), to painted frame ${med(fitSeeks.latency)} ms   [target < 16 ms: ${verdict(median(fitSeeks.busy) < 16)}]`);
  console.log(`  playback at 100 steps/s, arena map in view: ${fps.toFixed(1)} frames/s, ${played} steps in ~3 s   [target 60 fps: ${verdict(fps >= 58)}]`);
  console.log(`  transfer (every file in dist/): raw ${kb(size.raw)}, gzip -9 ${kb(size.gzip)}   [target < 1.5 MB: ${verdict(size.gzip < 1.5 * 1024 * 1024)}]`);
  return {
    fcp_ms: first.fcp, interactive_ms: interactive, record_ms: recordMs, record_gap_ms: Math.max(...gaps),
    step_busy_ms_median: busyMed, step_ms_median: stepMed, step_ms_max: Math.max(...steps),
    seek_busy_ms_median: seekBusyMed, seek_ms_median: seekMed, seek_ms_max: Math.max(...seeks), playback_fps: fps, transfer_gzip: size.gzip,
    chain_step_busy_ms_median: median(chainSteps.busy), chain_seek_busy_ms_median: median(chainSeeks.busy), chain_seek_ms_median: median(chainSeeks.latency),
    fit_boxes: fitBoxes, fit_seek_busy_ms_median: median(fitSeeks.busy), fit_seek_ms_median: median(fitSeeks.latency),
  };
}

// ---- e2e tests ------------------------------------------------------------

const region = (page, name) => page.getByRole('region', { name, exact: true });
const node = (page, re) => region(page, 'Frames and objects').getByRole('button', { name: re });

/** Types `src` into the Code field and waits for the re-recorded run. */
async function typeProgram(page, src, lines) {
  const code = page.getByRole('textbox', { name: 'Code' });
  await code.fill(src);
  await waitStep(page, `l === ${lines}`, `the new program (${lines} steps)`, 8000);
}

async function e2e(browser, origin, log) {
  mkdirSync(ARTIFACTS, { recursive: true });
  const { context, page } = await openApp(browser, origin, log);

  await test('page loads: title, regions and accessible controls', async () => {
    assert(/pymem/.test(await page.title()), 'title mentions pymem');
    const version = page.getByLabel('Python version');
    eq(await version.evaluate((e) => e.tagName), 'SELECT', 'version control');
    const options = await version.locator('option').allInnerTexts();
    for (const v of ['3.8', '3.10', '3.12']) assert(options.includes(v), `version ${v} offered (${options})`);
    eq(await version.inputValue(), '3.12', 'default version');
    for (const name of ['Step forward', 'Step back', 'Event forward', 'Event back', 'Play', 'Back to start', 'Run to end']) {
      eq(await page.getByRole('button', { name, exact: true }).count(), 1, `button "${name}"`);
    }
    for (const name of ['Code', 'Frames and objects', 'Allocator map', 'Object inspector', 'GC', 'Narration', 'Output']) {
      eq(await region(page, name).count(), 1, `region "${name}"`);
    }
    eq(await page.getByRole('textbox', { name: 'Code' }).count(), 1, 'a Code text field');
    eq(await page.locator('#narration').getAttribute('aria-live'), 'polite', 'narration is a polite live region');
    const s = await stepInfo(page);
    eq(s.step, 0, 'starts at step 0');
    assert(s.last > 5, `the default example has steps (${s.last})`);
  });

  await test('type a program and step: graph, refcounts, block highlight, inspector, narration', async () => {
    await typeProgram(page, 'x = [1, 2, 3]\ny = x\nz = [x, x]\n', 3);
    await page.getByRole('button', { name: 'Run to end', exact: true }).click();
    await waitStep(page, 's === 3', 'step 3');
    // x, y, z[0] and z[1]: four references to the first list.
    const list = node(page, /^list \d+ .*refcount 4,/);
    eq(await list.count(), 1, 'the shared list has refcount 4');
    eq(await node(page, /^list \d+ .*refcount 1,/).count(), 1, 'z has refcount 1');
    assert(/Line 3/.test(await text(page, '#narration')), 'narration names line 3');
    await mapSettled(page);
    const before = await canvasHash(page);
    await list.click();
    const insp = region(page, 'Object inspector');
    // sys.getsizeof([1, 2, 3]) on CPython 3.12: 88 (40 + 3 × 8 + 8 spare + 16 GC header).
    assert(/^88\b/.test(await insp.locator('#inspector-getsizeof').innerText()), `getsizeof 88: ${await insp.innerText()}`);
    assert(/ob_refcnt/.test(await insp.innerText()) && /ob_type/.test(await insp.innerText()), 'layout lists ob_refcnt and ob_type');
    assert((await canvasHash(page)) !== before, "the selected list's blocks are highlighted on the map");
  });

  await test('scrub back and forth: the state is restored', async () => {
    await page.locator('#scrubber').fill('1');
    await waitStep(page, 's === 1', 'step 1');
    eq(await node(page, /^list \d+ .*refcount 1,/).count(), 1, 'at step 1 one list with refcount 1');
    eq(await node(page, /refcount 4,/).count(), 0, 'no refcount 4 yet');
    assert(/Line 1/.test(await text(page, '#narration')), 'narration back at line 1');
    await page.locator('#scrubber').fill('3');
    await waitStep(page, 's === 3', 'step 3');
    eq(await node(page, /^list \d+ .*refcount 4,/).count(), 1, 'refcount 4 again at step 3');
  });

  await test('the map fades filled and emptied blocks between steps, not under reduced motion', async () => {
    // Watches one step: frames on which the map was part way, and how
    // long the fade lasted.
    const watchStep = (button) => page.evaluate((name) => new Promise((ok) => {
      const map = document.getElementById('arena-map');
      const t0 = performance.now();
      let frames = 0;
      let end = null;
      document.getElementById(name === 'Step back' ? 'btn-back' : 'btn-forward').click();
      const tick = () => {
        if (map.hasAttribute('data-animating')) frames++;
        else if (frames > 0 && end === null) end = performance.now() - t0;
        if (performance.now() - t0 < 800) requestAnimationFrame(tick);
        else ok({ frames, end });
      };
      requestAnimationFrame(tick);
    }), button);
    await mapSettled(page);
    const settled = await canvasHash(page);
    // Step 3 to 2: z's list is freed, its block empties.
    const back = await watchStep('Step back');
    assert(back.frames >= 5, `the map faded over several frames (${back.frames})`);
    assert(back.end > 250 && back.end < 600, `the fade took about 300 ms (${back.end?.toFixed(0)} ms)`);
    const fwd = await watchStep('Step forward');
    assert(fwd.frames >= 5, `and back again (${fwd.frames} frames)`);
    await mapSettled(page);
    eq(await canvasHash(page), settled, 'the fade ends on the step\'s own picture');
    // In the graph, z's list and the arrows to and from it fade out, then go.
    await page.getByRole('button', { name: 'Step back', exact: true }).click();
    await page.locator('svg.graph .node.leaving').first().waitFor({ timeout: 1000 });
    eq(await page.locator('svg.graph .arrow.leaving').count(), 3, 'the arrows of z, z[0] and z[1] fade out');
    await page.waitForFunction(() => document.querySelectorAll('svg.graph .leaving').length === 0, null, { timeout: 2000 });
    await page.getByRole('button', { name: 'Step forward', exact: true }).click();
    await waitStep(page, 's === 3', 'step 3');
    await page.emulateMedia({ reducedMotion: 'reduce' });
    await page.locator('.app.no-motion').waitFor({ timeout: 3000 });
    const still = await watchStep('Step back');
    eq(still.frames, 0, 'no fade under prefers-reduced-motion');
    eq(await page.locator('svg.graph .leaving').count(), 0, 'nothing fades out in the graph either');
    await page.getByRole('button', { name: 'Run to end', exact: true }).click();
    await waitStep(page, 's === 3', 'step 3');
    await page.emulateMedia({ reducedMotion: 'no-preference' });
  });

  await test('version switch changes sizes and keeps the step', async () => {
    await page.getByLabel('Python version').selectOption('3.8');
    await page.waitForFunction(() => /262144 bytes\/arena/.test(document.getElementById('stats')?.textContent ?? ''));
    eq((await stepInfo(page)).step, 3, 'step kept across the switch');
    // sys.getsizeof([1, 2, 3]) on CPython 3.8: 80 (3.8's list literal has no spare slot).
    const insp = region(page, 'Object inspector');
    await page.waitForFunction(() => /^80\b/.test(document.getElementById('inspector-getsizeof')?.textContent ?? ''));
    assert(/^80\b/.test(await insp.locator('#inspector-getsizeof').innerText()), 'getsizeof 80 on 3.8');
    await page.getByLabel('Python version').selectOption('3.12');
    await page.waitForFunction(() => /^88\b/.test(document.getElementById('inspector-getsizeof')?.textContent ?? ''));
  });

  await test('a cycle: GC phases show gc_refs, then the objects vanish', async () => {
    await page.getByLabel('Example program').selectOption({ label: 'A reference cycle and the GC' });
    await waitStep(page, 'l > 10', 'the cycle example');
    await page.getByRole('button', { name: 'Run to end', exact: true }).click();
    const { last } = await waitStep(page, 's === l', 'the end');
    eq(await node(page, /^Node \d+/).count(), 0, 'the Node instances are gone at the end');
    // Walk back to the step whose events include the collection.
    let s = last;
    while (s > 0 && !/gc_collect_main/.test(await text(page, '#events').catch(() => ''))) {
      await page.getByRole('button', { name: 'Step back', exact: true }).click();
      s = (await waitStep(page, `s === ${s - 1}`, `step ${s - 1}`)).step;
    }
    assert(s > 0, 'found the step that collects');
    eq(await node(page, /^Node \d+.*in a cycle/).count(), 0, 'the instances are not drawn at the end of the collecting step');
    await page.getByRole('button', { name: 'Step back', exact: true }).click();
    await waitStep(page, `s === ${s - 1}`, 'the step before');
    eq(await node(page, /^Node \d+.*in a cycle/).count(), 2, 'two Node instances in a cycle before the collection');
    await page.getByRole('button', { name: 'Step forward', exact: true }).click();
    await waitStep(page, `s === ${s}`, 'the collecting step');
    await page.locator('#events button', { hasText: 'subtract_refs' }).first().click();
    await page.waitForFunction(() => /subtract_refs/.test(document.getElementById('gc-status')?.textContent ?? ''));
    // After subtract_refs only outside references are left: none for a garbage cycle.
    const zero = await node(page, /^Node \d+.*gc_refs 0/).count();
    eq(zero, 2, 'both instances show gc_refs 0 after subtract_refs');
    // The string being printed: held by the code's constants and the
    // value stack (refcount 2), no variable's, so in the interpreter's band.
    const held = page.locator('svg.graph .node.held');
    eq(await held.count(), 1, 'one object in the interpreter\'s band');
    assert(/^str \d+ \('unreachable:'\), refcount 2,/.test(await held.getAttribute('aria-label')), await held.getAttribute('aria-label'));
    assert(/^Empty\./.test(await text(page, '#gc-garbage')), 'gc.garbage is empty without DEBUG_SAVEALL');
    assert(/gc_refs/.test(await region(page, 'GC').innerText()), 'the GC panel lists candidates');
    await page.screenshot({ path: join(ARTIFACTS, 'gc-phase.png') });
  });

  await test('keyboard only: shortcuts, help, graph selection', async () => {
    await page.locator('body').click({ position: { x: 2, y: 2 } });
    await page.keyboard.press('Home');
    await waitStep(page, 's === 0', 'step 0');
    await page.keyboard.press('ArrowRight');
    await page.keyboard.press('ArrowRight');
    await waitStep(page, 's === 2', 'step 2');
    await page.keyboard.press('ArrowLeft');
    await waitStep(page, 's === 1', 'step 1');
    await page.keyboard.press('.');
    await page.waitForFunction(() => /event \d+ of \d+|Step 2/.test(document.querySelector('.step-count')?.textContent ?? ''));
    await page.keyboard.press('End');
    const { last } = await waitStep(page, 's === l', 'the end');
    await page.keyboard.press('?');
    const dialog = page.getByRole('dialog', { name: 'Keyboard shortcuts' });
    await dialog.waitFor({ timeout: 3000 });
    await page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'detached', timeout: 3000 });
    // Tab to the graph; arrows then select objects.
    await page.locator('svg.graph').focus();
    await page.keyboard.press('Home');
    await waitStep(page, 's === 0', 'Home');
    await page.keyboard.press('End');
    await waitStep(page, `s === ${last}`, 'End');
    await page.locator('svg.graph').focus();
    await page.keyboard.press('ArrowDown');
    await page.waitForFunction(() => /Object inspector: /.test(document.querySelector('[aria-label="Object inspector"] h2')?.textContent ?? ''));
  });

  await test('panes resize from the keyboard and by dragging', async () => {
    const width = (sel) => page.evaluate((s) => document.querySelector(s).getBoundingClientRect().width, sel);
    const code = page.getByRole('separator', { name: 'Resize the code column' });
    const side = page.getByRole('separator', { name: 'Resize the side column' });
    const graph = page.getByRole('separator', { name: 'Resize the frames and objects view' });
    eq(await code.getAttribute('aria-valuenow'), '30', 'the code column starts at 30%');
    const layout = await width('.layout');
    const before = await width('#col-code');
    assert(Math.abs(before - layout * 0.3) < 8, `code column ${before} px of ${layout}`);
    const { step } = await stepInfo(page);
    await code.focus();
    await page.keyboard.press('ArrowRight');
    await page.keyboard.press('ArrowRight');
    eq(await code.getAttribute('aria-valuenow'), '34', 'two arrows: 4% wider');
    assert(await width('#col-code') > before + 0.03 * layout, 'the column widened');
    eq((await stepInfo(page)).step, step, 'the arrows moved the divider, not the step');
    await page.keyboard.press('Home');
    eq(await code.getAttribute('aria-valuenow'), '15', 'Home: the smallest');
    // The side column grows as its divider moves left.
    await side.focus();
    await page.keyboard.press('ArrowLeft');
    eq(await side.getAttribute('aria-valuenow'), '28', 'the side column: 2% wider');
    // Dragging: the graph's divider 72 px down on a 720 px window is 10%.
    const g0 = await page.locator('#graph-panel').evaluate((e) => e.getBoundingClientRect().height);
    await graph.scrollIntoViewIfNeeded();
    const box = await graph.boundingBox();
    await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
    await page.mouse.down();
    await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2 + 36, { steps: 3 });
    await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2 + 72, { steps: 3 });
    await page.mouse.up();
    eq(await graph.getAttribute('aria-valuenow'), '70', 'dragged from 60% to 70% of the window');
    const g1 = await page.locator('#graph-panel').evaluate((e) => e.getBoundingClientRect().height);
    assert(Math.abs(g1 - g0 - 72) < 3, `the graph grew by ${g1 - g0} px`);
    // Hiding every pane of a column gives its room to the others.
    await page.getByRole('button', { name: 'Code', exact: true }).click();
    await page.getByRole('button', { name: 'Output', exact: true }).click();
    eq(await code.count(), 0, 'no divider beside an empty column');
    assert(await width('.col-main') > layout * 0.6, 'the middle column takes the room');
    await page.getByRole('button', { name: 'Code', exact: true }).click();
    await page.getByRole('button', { name: 'Output', exact: true }).click();
    await code.focus();
    await page.keyboard.press('End');
    await page.keyboard.press('PageDown');
    await page.keyboard.press('PageDown');
    eq(await code.getAttribute('aria-valuenow'), '25', 'End then two Page Downs: 45 - 20');
  });

  await test('errors: underlined at their line and column, with the message', async () => {
    await page.getByRole('textbox', { name: 'Code' }).fill('x = 1\ny = (\n');
    await page.waitForFunction(() => /Line 2, column 5/.test(document.getElementById('code-status')?.textContent ?? ''), null, { timeout: 8000 });
    assert(/was never closed/.test(await text(page, '#code-status')), 'CPython\'s message');
    eq(await page.locator('.code-layer .err').count() > 0, true, 'an underline');
    await page.getByRole('textbox', { name: 'Code' }).fill('while True:\n    pass\n');
    await page.waitForFunction(() => /budget|steps/.test(document.querySelector('[aria-label="Output"]')?.textContent ?? ''), null, { timeout: 15000 });
  });

  await test('a long run records in the worker: progress, Stop, the page never freezes', async () => {
    // Frame gaps on the main thread while the worker records: a run on
    // the main thread would show one gap as long as the run.
    await startFrameGaps(page);
    await page.getByRole('textbox', { name: 'Code' }).fill('n = 0\nwhile True:\n    n += 1\n');
    await page.locator('#run-progress').waitFor({ timeout: 8000 });
    assert(/\d+ steps recorded so far/.test(await text(page, '#run-progress')), 'progress counts steps');
    await page.getByRole('button', { name: 'Stop', exact: true }).click();
    await page.waitForFunction(() => /Stopped at step \d+/.test(document.querySelector('[aria-label="Output"]')?.textContent ?? ''), null, { timeout: 8000 });
    const gaps = await stopFrameGaps(page);
    const worst = Math.max(...gaps);
    log.notes.push(`longest frame gap while recording: ${worst.toFixed(0)} ms over ${gaps.length} frames`);
    assert(worst < 250, `the page froze for ${worst.toFixed(0)} ms`);
    const stopped = Number(/Stopped at step (\d+)/.exec(await text(page, '[aria-label="Output"]'))[1]);
    assert(stopped > 0 && stopped < 1000000, `stopped inside the run (${stopped})`);
    eq(await page.locator('#run-progress').count(), 0, 'the progress line goes');
    // What was recorded is usable: the last step shows n's value.
    await page.keyboard.press('End');
    const { step, last } = await waitStep(page, 's === l', 'the last recorded step');
    eq(last, stopped, 'the trace ends where it stopped');
    assert(step > 0, 'steps to walk');
    await page.keyboard.press('Home');
    await waitStep(page, 's === 0', 'back to the start');
  });

  await test('allocator details: pool inspector and usable_arenas', async () => {
    await page.getByLabel('Example program').selectOption({ label: 'References and sizes' });
    await waitStep(page, 'l > 3', 'example');
    await page.getByText('Pools and arenas in detail').click();
    await page.getByRole('img', { name: 'Allocator map' }).focus();
    await page.keyboard.press('Enter');
    await page.locator('#pool-inspector').waitFor();
    assert(/szidx/.test(await text(page, '#pool-inspector')), 'pool header fields');
    assert(/free pools/.test(await text(page, '#usable-arenas')), 'usable_arenas listed');
  });

  await test('screenshots saved', async () => {
    await page.getByLabel('Example program').selectOption({ label: 'A reference cycle and the GC' });
    await waitStep(page, 'l > 10', 'example');
    await page.locator('#scrubber').fill('9');
    await waitStep(page, 's === 9', 'step 9');
    await page.screenshot({ path: join(ARTIFACTS, 'app-light.png') });
    const dark = await openApp(browser, origin, log, { colorScheme: 'dark', reducedMotion: 'reduce' });
    await dark.page.locator('#scrubber').fill('9');
    await waitStep(dark.page, 's === 9', 'step 9');
    await dark.page.screenshot({ path: join(ARTIFACTS, 'app-dark.png') });
    await dark.context.close();
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
const log = { requests: [], external: [], failed: [], consoleErrors: [], notes: [] };
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
    for (const n of log.notes) console.log(`e2e: ${n}`);
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
