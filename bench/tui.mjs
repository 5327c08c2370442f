// The interactive analyzer's targets (issue #4), headless: the built UI rendered by ink
// into an 80x24 fake terminal, keys written to a fake stdin.
//
//   node bench/tui.mjs [FILE]     (default bench/out/mix-1m.pcap; `npm run bench` makes it)
//
// Prints one line per target with PASS/FAIL; exits 1 when one fails. Each measured run is
// a child process (`--run FILE`), so that its peak memory is its own.

import { spawnSync } from 'node:child_process';
import { EventEmitter } from 'node:events';
import { statSync } from 'node:fs';

const CLI = new URL('../dist/cli/main.js', import.meta.url).pathname;
const SELF = new URL(import.meta.url).pathname;
const RUNS = 3;
const COLUMNS = 80;
const ROWS = 24;
// ink draws nothing while it believes it runs under CI.
const ENV = Object.fromEntries(Object.entries(process.env).filter(([k]) => k !== 'CI' && k !== 'CONTINUOUS_INTEGRATION'));

async function main(file) {
  const bytes = statSync(file).size;
  let check = Infinity;
  for (let i = 0; i < RUNS; i++) {
    const t0 = performance.now();
    const r = spawnSync(process.execPath, [CLI, 'check', file], { stdio: ['ignore', 'ignore', 'pipe'] });
    if (r.status !== 0 && r.status !== 1) throw new Error(`vsockscope check failed: ${r.stderr}`);
    check = Math.min(check, (performance.now() - t0) / 1000);
  }
  const measure = (mode) => {
    const r = spawnSync(process.execPath, [SELF, '--run', file, mode], { encoding: 'utf8', env: ENV, maxBuffer: 1 << 24 });
    if (r.status !== 0) throw new Error(`measured run failed: ${r.stderr}`);
    return JSON.parse(r.stdout);
  };
  const runs = [];
  for (let i = 0; i < RUNS; i++) runs.push(measure('quiet'));
  const keyed = [];
  for (let i = 0; i < RUNS; i++) keyed.push(measure('keys'));
  const best = (key) => Math.min(...runs.map((r) => r[key]));
  const worst = (key) => Math.max(...runs.map((r) => r[key]));
  const m = {
    firstScreen: best('firstScreenS'), load: best('loadS'), keyMax: worst('keyMaxMs'), keyP50: best('keyP50Ms'),
    loadingKeyMax: Math.max(...keyed.map((r) => r.loadingKeyMaxMs)), rss: Math.max(...[...runs, ...keyed].map((r) => r.maxRssMb)),
    filter: best('filterS'), frames: runs[0].frames,
  };
  const verdict = (ok, text) => `  ${ok ? 'PASS' : 'FAIL'}  ${text}`;
  const lines = [
    `${file}: ${m.frames.toLocaleString('en')} frames, ${(bytes / 1e6).toFixed(1)} MB; ${COLUMNS}x${ROWS}; best of ${RUNS} runs (worst for latency and memory)`,
    verdict(m.firstScreen <= 1, `first screen ${m.firstScreen.toFixed(3)} s after the process started (target <= 1 s)`),
    verdict(m.load <= 1.5 * check, `full load ${m.load.toFixed(3)} s after the process started = ${(m.load / check).toFixed(2)}x vsockscope check ${check.toFixed(3)} s (target <= 1.5x)`),
    verdict(m.keyMax <= 50, `keypress to repaint, anywhere in the list: max ${m.keyMax.toFixed(1)} ms, median ${m.keyP50.toFixed(1)} ms (target <= 50 ms)`),
    verdict(m.loadingKeyMax <= 50, `keypress to repaint while loading (a key every 40 ms): max ${m.loadingKeyMax.toFixed(1)} ms (target <= 50 ms)`),
    verdict(m.rss < 300, `peak memory ${m.rss.toFixed(0)} MB (target < 300 MB)`),
    `  info  display filter 'vsock.virtio.op == SEQ_END' over every frame: ${m.filter.toFixed(3)} s`,
  ];
  process.stdout.write(lines.join('\n') + '\n');
  process.exitCode = lines.some((l) => l.startsWith('  FAIL')) ? 1 : 0;
}

/** A terminal that records when ink last wrote to it. */
class FakeStdout extends EventEmitter {
  isTTY = true;
  columns = COLUMNS;
  rows = ROWS;
  lastWrite = 0;
  writes = 0;
  text = '';
  write(chunk, ...rest) {
    this.lastWrite = performance.now();
    this.writes++;
    this.text = String(chunk);
    rest.find((a) => typeof a === 'function')?.();
    return true;
  }
}

class FakeStdin extends EventEmitter {
  isTTY = true;
  queue = [];
  setRawMode() {}
  setEncoding() {}
  resume() {}
  pause() {}
  ref() {}
  unref() {}
  read() {
    return this.queue.shift() ?? null;
  }
  type(text) {
    this.queue.push(text);
    this.emit('readable');
  }
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** Types a key and waits for the repaint it causes (the next write: the key must change the screen); returns the latency in ms. */
async function keyLatency(stdin, stdout, key) {
  const writes = stdout.writes;
  const t0 = performance.now();
  stdin.type(key);
  for (let i = 0; stdout.writes === writes && i < 200; i++) await sleep(1);
  if (stdout.writes === writes) throw new Error(`no repaint after ${JSON.stringify(key)}`);
  return stdout.lastWrite - t0;
}

/** The measured modules, bundled as `npm run build` bundles the CLI. */
const HARNESS_DIR = new URL('./out/tui-harness/', import.meta.url).pathname;

async function bundleHarness() {
  const { bundle } = await import('../scripts/bundle.mjs');
  await bundle({ harness: new URL('./tui-harness.mjs', import.meta.url).pathname }, HARNESS_DIR);
}

/**
 * One run. As runTui does (src/cli/tui.ts), the loader thread is started first, then the
 * session's module is loaded and the session opened, and the UI chunk loads meanwhile; the
 * App is rendered with runInteractive's options. `keysWhileLoading`: type a key every
 * 40 ms while loading and time each repaint, rather than leave loading alone.
 */
async function measureOnce(file, keysWhileLoading) {
  const { startOpening, loadSession, loadUi } = await import(`${HARNESS_DIR}harness.js`);
  const started = startOpening(file, { worker: true });
  const { Session } = await loadSession();
  const opening = Session.open(started);
  const ui = loadUi();
  const session = await opening;
  const { render, React, App, UiStore, INK_OPTIONS } = await ui;
  const stdout = new FakeStdout();
  const stdin = new FakeStdin();
  const store = new UiStore(session, { columns: COLUMNS, rows: ROWS });
  const instance = render(React.createElement(App, { store, color: true }), { ...INK_OPTIONS, stdout, stdin, exitOnCtrlC: false });
  // performance.now() counts from the process start: node's own startup is included.
  const firstScreenS = stdout.lastWrite / 1000;

  // Each of these moves the selection (a key that changes nothing repaints nothing).
  const moves = ['j', 'G', 'k', 'g'];
  const loadingKeys = [];
  while (keysWhileLoading && session.load.phase === 'loading') {
    loadingKeys.push(await keyLatency(stdin, stdout, moves[loadingKeys.length % moves.length]));
    await sleep(40);
  }
  await session.whenLoaded();
  const loadS = performance.now() / 1000;
  const frames = session.index.count;

  // Keys anywhere in the list: go to a random frame (not timed), then time one key.
  const keys = ['j', 'k', '\x1b[6~', '\x1b[5~', 'G', 'g', 'n', '\t', '\x1b[B', '\t', '\t'];
  const latencies = [];
  let seed = 1;
  for (let i = 0; i < 40; i++) {
    seed = (seed * 1103515245 + 12345) % 2 ** 31;
    store.dispatch({ type: 'goto', frame: 1 + (seed % frames) });
    await sleep(40);
    latencies.push(await keyLatency(stdin, stdout, keys[i % keys.length]));
    await sleep(40);
  }
  latencies.sort((a, b) => a - b);

  const f0 = performance.now();
  session.setFilter('vsock.virtio.op == SEQ_END');
  while (!session.filterDone) await sleep(5);
  const filterS = (performance.now() - f0) / 1000;

  instance.unmount();
  store.dispose();
  session.close();
  process.stdout.write(JSON.stringify({
    frames, firstScreenS, loadS, filterS,
    keyMaxMs: latencies.at(-1), keyP50Ms: latencies[latencies.length >> 1],
    loadingKeyMaxMs: loadingKeys.length > 0 ? Math.max(...loadingKeys) : 0,
    maxRssMb: process.resourceUsage().maxRSS / 1024,
  }) + '\n');
}

if (process.argv[2] === '--run') await measureOnce(process.argv[3], process.argv[4] === 'keys');
else {
  await bundleHarness();
  await main(process.argv[2] ?? new URL('./out/mix-1m.pcap', import.meta.url).pathname);
}
