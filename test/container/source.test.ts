import { execFileSync, spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { createWriteStream, mkdtempSync, openSync, closeSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { CHUNK_BYTES, PIECE_BYTES, readCapture, readCaptureFile } from '../../src/source/read-capture.js';
import { openPathSource } from '../../src/source/file-source.js';
import { CaptureError } from '../../src/dissect/container/types.js';
import { CAPTURES_DIR, collector, readAll, summary } from './helpers.js';

// 4.6 MB: more than one read (CHUNK_BYTES, 4 MiB) and several pieces (PIECE_BYTES), records
// straddling their boundaries.
const capture = join(CAPTURES_DIR, 'linux-6.1-loopback', 'credit-loopback.pcap');
const pcapng = join(CAPTURES_DIR, 'linux-6.1-loopback', 'seqpacket-loopback.pcapng');

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'vsockscope-source-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const openFds = () => readdirSync('/proc/self/fd').length;

async function readPath(path: string) {
  const sink = collector();
  const end = await readCaptureFile(path, sink);
  return { ...sink, end };
}

describe('readCaptureFile', () => {
  test('a regular file gives the same packets as the bytes in memory', async () => {
    for (const path of [capture, pcapng]) {
      const expected = readAll(readFileSync(path));
      const got = await readPath(path);
      expect(got.end).toEqual({});
      expect(got.packets.length).toBe(expected.packets.length);
      expect(got.packets.map(summary)).toEqual(expected.packets.map(summary));
    }
  });

  test('a FIFO (short reads) gives the same packets', async () => {
    const fifo = join(dir, 'capture.fifo');
    execFileSync('mkfifo', [fifo]);
    const bytes = readFileSync(capture);
    const writer = createWriteStream(fifo);
    const written = (async () => {
      // Odd-sized writes, so that reads end in the middle of records.
      for (let at = 0; at < bytes.length; at += 300007) {
        if (!writer.write(bytes.subarray(at, at + 300007))) await new Promise<void>((r) => writer.once('drain', () => r()));
      }
      await new Promise<void>((resolve, reject) => writer.end((error?: Error | null) => (error ? reject(error) : resolve())));
    })();
    const [got] = await Promise.all([readPath(fifo), written]);
    const expected = readAll(bytes);
    expect(got.end).toEqual({});
    expect(got.packets.map(summary)).toEqual(expected.packets.map(summary));
  });

  test('a truncated file reports the cut record', async () => {
    const bytes = readFileSync(capture);
    const path = join(dir, 'cut.pcap');
    writeFileSync(path, bytes.subarray(0, bytes.length - 10));
    const whole = readAll(bytes).packets;
    const got = await readPath(path);
    expect(got.packets.length).toBe(whole.length - 1);
    const last = whole[whole.length - 1]!;
    expect(got.end).toEqual({ truncated: { offset: last.offset, have: 16 + last.capLen - 10, need: 16 + last.capLen } });
  });

  test('a sink that throws mid-file stops the reading with its error (the read ahead is settled first)', async () => {
    const stop = new Error('stop');
    let chunks = 0;
    const sink = {
      packet: (p: { offset: number }) => {
        if (p.offset > 2.5 * PIECE_BYTES) throw stop;
      },
      notice: () => undefined,
      chunkEnd: () => void chunks++,
    };
    await expect(readCaptureFile(capture, sink)).rejects.toBe(stop);
    expect(chunks).toBe(2);
  });

  test('pace: no bytes reach the reader while it waits; reading goes on once it has caught up, or ends if aborted', async () => {
    const whole = readAll(readFileSync(capture)).packets.length;
    for (const abort of [false, true]) {
      let pieces = 0;
      let packets = 0;
      let catchUp = () => undefined as void;
      const behind = new Promise<void>((resolve) => { catchUp = resolve; });
      const stop = new AbortController();
      const fdsBefore = openFds();
      const reading = readCapture(await openPathSource(capture), {
        packet: () => void packets++,
        notice: () => undefined,
        chunkEnd: () => void pieces++,
      }, stop.signal, () => (pieces === 1 ? behind : undefined));
      await new Promise((r) => setTimeout(r, 50));
      expect(pieces).toBe(1);
      const fedBeforeWait = packets;
      expect(fedBeforeWait).toBeGreaterThan(0);
      expect(fedBeforeWait).toBeLessThan(whole);
      if (abort) {
        stop.abort();
        expect(await reading).toEqual({ interrupted: true });
        expect(packets).toBe(fedBeforeWait);
        // A file's read in flight finishes, and the file is closed.
        expect(openFds()).toBe(fdsBefore);
      } else {
        catchUp();
        expect(await reading).toEqual({ interrupted: false });
        expect(packets).toBe(whole);
        expect(pieces).toBe(Math.ceil(CHUNK_BYTES / PIECE_BYTES) + 1);
        expect(openFds()).toBe(fdsBefore);
      }
    }
  });

  test('file system errors propagate; damaged content is a CaptureError', async () => {
    await expect(readPath(join(dir, 'missing.pcap'))).rejects.toMatchObject({ code: 'ENOENT' });
    await expect(readPath(dir)).rejects.toMatchObject({ code: 'EISDIR' });
    const empty = join(dir, 'empty.pcap');
    writeFileSync(empty, '');
    await expect(readPath(empty)).rejects.toEqual(new CaptureError('empty file', 0));
  });

  describe('stdin ("-")', () => {
    // A child process reads its stdin with the built modules (npm test builds before vitest runs).
    let script: string;
    beforeAll(() => {
      const readCapture = new URL('../../dist/source/read-capture.js', import.meta.url).href;
      const recordBytes = new URL('../../dist/dissect/container/record-bytes.js', import.meta.url).href;
      script = join(dir, 'main.mjs');
      writeFileSync(
        script,
        `import { createHash } from 'node:crypto';
         import { readCaptureFile } from '${readCapture}';
         import { bytesOf } from '${recordBytes}';
         const hash = createHash('sha256');
         let frames = 0;
         const end = await readCaptureFile('-', {
           packet(p) { frames++; hash.update(JSON.stringify([p.number, p.tsSec, p.tsNsec, p.capLen, p.origLen, p.offset])); hash.update(bytesOf(p)); },
           notice() {},
         });
         process.stdout.write(JSON.stringify({ frames, digest: hash.digest('hex'), end }));`,
      );
    });

    function expected(bytes: Uint8Array) {
      const hash = createHash('sha256');
      const { packets, end } = readAll(bytes);
      for (const p of packets) {
        hash.update(JSON.stringify([p.number, p.tsSec, p.tsNsec, p.capLen, p.origLen, p.offset]));
        hash.update(p.data);
      }
      return { frames: packets.length, digest: hash.digest('hex'), end };
    }

    function run(stdin: number | 'pipe', feed?: Uint8Array): Promise<unknown> {
      return new Promise((resolve, reject) => {
        const child = spawn(process.execPath, [script], { stdio: [stdin, 'pipe', 'inherit'] });
        let out = '';
        child.stdout!.on('data', (d: Buffer) => (out += d.toString()));
        child.on('error', reject);
        child.on('close', (code) => (code === 0 ? resolve(JSON.parse(out)) : reject(new Error(`child exited ${code}`))));
        if (feed) child.stdin!.end(feed);
      });
    }

    test('stdin redirected from a file', async () => {
      const fd = openSync(capture, 'r');
      try {
        expect(await run(fd)).toEqual(expected(readFileSync(capture)));
      } finally {
        closeSync(fd);
      }
    });

    test('stdin from a pipe', async () => {
      const bytes = readFileSync(capture);
      expect(await run('pipe', bytes)).toEqual(expected(bytes));
    });
  });
});
