// `npm run bench`: throughput of vsockscope beside tshark and tcpdump on the same
// files in the same run, as ratios, and peak memory. Targets are the issues'; the command
// exits 1 when one fails.
import { spawnSync } from 'node:child_process';
import { mkdirSync, statSync } from 'node:fs';
import { makeBenchCaptures, makeHugeCapture } from './gen/make-bench-captures.mjs';
import { droppedNote, PLAIN_ENV } from './plain-env.mjs';

const OUT = new URL('./out/', import.meta.url).pathname;
const CLI = new URL('../dist/cli/main.cjs', import.meta.url).pathname;
const RSS = new URL('./rss.mjs', import.meta.url).pathname;
const DECODE = new URL('./decode-only.mjs', import.meta.url).pathname;
const FRAMES = 1_000_000;

function have(tool) {
  return spawnSync('sh', ['-c', `command -v ${tool}`]).status === 0;
}

/**
 * Runs a command with stdout to /dev/null; best wall time of `runs`, and peak RSS when it is
 * ours. On the 1M-frame files every command, ours, tshark's and tcpdump's, gets the same five:
 * on 2 cores, runs of a quarter second differ by 10 to 25 ms from one to the next. The
 * 10M-frame run, which measures memory, runs once.
 */
function measure(label, cmd, args, { runs = 5, node = false } = {}) {
  let best = Infinity;
  let rssKb;
  for (let i = 0; i < runs; i++) {
    const argv = node ? ['--import', RSS, ...args] : args;
    const t0 = process.hrtime.bigint();
    const r = spawnSync(node ? process.execPath : cmd, argv, { stdio: ['ignore', 'ignore', 'pipe'], maxBuffer: 1 << 26, env: PLAIN_ENV });
    const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
    if (r.status !== 0 && !(label.startsWith('vsockscope check') && r.status === 1)) {
      throw new Error(`${label} failed (status ${r.status}): ${String(r.stderr).slice(0, 500)}`);
    }
    best = Math.min(best, seconds);
    const m = /@@maxrss_kb=(\d+)/.exec(String(r.stderr));
    if (m) rssKb = Math.max(rssKb ?? 0, Number(m[1]));
  }
  return { label, seconds: best, rssMb: rssKb === undefined ? undefined : rssKb / 1024 };
}

function row(m, bytes, frames) {
  const fps = frames / m.seconds;
  const mbps = bytes / 1e6 / m.seconds;
  return `${m.label.padEnd(34)} ${m.seconds.toFixed(3).padStart(8)} s ${Math.round(fps).toLocaleString('en').padStart(12)} frames/s ${mbps.toFixed(1).padStart(8)} MB/s` +
    (m.rssMb !== undefined ? `  peak ${m.rssMb.toFixed(0)} MB` : '');
}

function verdict(ok, text) {
  return `  ${ok ? 'PASS' : 'FAIL'}  ${text}`;
}

mkdirSync(OUT, { recursive: true });
const files = await makeBenchCaptures(OUT);
const results = [];
const lines = [droppedNote()].filter((line) => line !== undefined);
for (const file of [files.mix, files.headers]) {
  const bytes = statSync(file).size;
  lines.push('', `${file.replace(OUT, 'bench/out/')}: ${FRAMES.toLocaleString('en')} frames, ${(bytes / 1e6).toFixed(1)} MB`);
  const ms = {};
  ms.decode = measure('vsockscope decode-only', null, [DECODE, file], { node: true });
  ms.read = measure('vsockscope read (text)', null, [CLI, 'read', file], { node: true });
  ms.check = measure('vsockscope check', null, [CLI, 'check', file], { node: true });
  if (have('tshark')) ms.tshark = measure('tshark -q -Y vsock -r', 'tshark', ['-q', '-Y', 'vsock', '-r', file]);
  if (have('tcpdump')) ms.tcpdump = measure('tcpdump -nn -r', 'tcpdump', ['-nn', '-r', file]);
  for (const m of Object.values(ms)) lines.push('  ' + row(m, bytes, FRAMES));
  const ratio = (a, b) => (ms[a] && ms[b] ? ms[b].seconds / ms[a].seconds : undefined);
  const r = {
    decodeVsTshark: ratio('decode', 'tshark'), readVsTcpdump: ratio('read', 'tcpdump'),
    checkVsTshark: ratio('check', 'tshark'), checkVsDecode: ms.check.seconds / ms.decode.seconds,
  };
  if (r.decodeVsTshark !== undefined) lines.push(verdict(r.decodeVsTshark >= 5, `decode-only ${r.decodeVsTshark.toFixed(2)}x tshark throughput (target >= 5x)`));
  else lines.push(verdict(false, 'tshark not installed: no ratio'));
  if (r.readVsTcpdump !== undefined) lines.push(verdict(r.readVsTcpdump >= 2, `read text ${r.readVsTcpdump.toFixed(2)}x tcpdump throughput (target >= 2x)`));
  else lines.push(verdict(false, 'tcpdump not installed: no ratio'));
  if (r.checkVsTshark !== undefined) lines.push(verdict(r.checkVsTshark >= 5, `check ${r.checkVsTshark.toFixed(2)}x tshark throughput (target >= 5x)`));
  lines.push(verdict(r.checkVsDecode <= 1.5, `check takes ${r.checkVsDecode.toFixed(2)}x the decode-only time (target <= 1.5x)`));
  for (const k of ['decode', 'read', 'check']) lines.push(verdict(ms[k].rssMb < 150, `${ms[k].label} peak memory ${ms[k].rssMb.toFixed(0)} MB (target < 150 MB)`));
  results.push({ file, ms, r });
}
const huge = await makeHugeCapture(OUT, 10 * FRAMES);
const hugeCheck = measure('vsockscope check (10M frames)', null, [CLI, 'check', huge], { node: true, runs: 1 });
const base = results[0].ms.check.rssMb;
lines.push('', `${huge.replace(OUT, 'bench/out/')}: ${(10 * FRAMES).toLocaleString('en')} frames`, '  ' + row(hugeCheck, statSync(huge).size, 10 * FRAMES));
lines.push(verdict(hugeCheck.rssMb <= base * 1.2, `10M-frame check peak ${hugeCheck.rssMb.toFixed(0)} MB vs 1M-frame ${base.toFixed(0)} MB (target within 20%)`));
const tui = spawnSync(process.execPath, [new URL('./tui.mjs', import.meta.url).pathname, files.mix], { encoding: 'utf8' });
// Line by line: the exit status below looks for a FAIL at the start of a line.
lines.push('', ...tui.stdout.trimEnd().split('\n'));
// tui.mjs exits 1 on a failed target, which its lines name; otherwise it could not measure.
if (tui.status !== 0 && !tui.stdout.includes('  FAIL')) {
  lines.push(verdict(false, `bench/tui.mjs could not measure (exit ${tui.status ?? tui.signal}): ${tui.stderr.trim().split('\n').at(-1)}`));
}
process.stdout.write(lines.join('\n') + '\n');
// Like tui.mjs: a failed target fails the command.
process.exitCode = lines.some((line) => line.startsWith('  FAIL')) ? 1 : 0;
