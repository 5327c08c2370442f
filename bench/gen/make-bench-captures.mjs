// Benchmark captures, self-contained (no build needed): deterministic classic pcap files
// (microseconds, link type 271) written straight into 1 MiB chunks.
//
//   makeBenchCaptures(dir) -> { mix, headers }
//     dir/mix-1m.pcap  1,000,000 frames: several dozen concurrent connections, mostly
//                      RFC-v4 SEQPACKET records, some merged-dialect (EOM/EOR) and STREAM,
//                      handshakes, credit updates after each record read, closes; record
//                      sizes log-normal around 250 bytes (median RW payload ~250 bytes).
//     dir/hdr-1m.pcap  1,000,000 header-only frames (len 0): handshakes, CREDIT_UPDATEs,
//                      CREDIT_REQUESTs, SHUTDOWN/RST.
//   makeHugeCapture(dir, frames = 10_000_000) -> path of dir/mix-<N>.pcap, the same
//     traffic as mix-1m for N frames, streamed to disk chunk by chunk.
//
// Traffic is consistent (Linux-like senders within credit, counters in step, receivers
// crediting what they read), so an analyser finds nothing but, at most, the record the
// capture ends in (vsock.seq.incomplete). A file is regenerated only when it is missing,
// has the wrong size, or its marker (FILE.done) is from another generator version.

import { closeSync, existsSync, openSync, readFileSync, statSync, writeFileSync, writeSync } from 'node:fs';
import { join } from 'node:path';

const VERSION = 'vsockscope-bench-gen-1';
const CHUNK = 1 << 20;
const SNAPLEN = 262144;
const LINKTYPE_VSOCK = 271;
const BUF_ALLOC = 262144;
const MAX_RW = 65536;
const EPOCH = 1_700_000_000;

// virtio ops and the vsockmon op the kernel writes for each (markers: CONTROL, RFC-v4 kernels).
const REQUEST = 1, RESPONSE = 2, RST = 3, SHUTDOWN = 4, RW = 5, CREDIT_UPDATE = 6, CREDIT_REQUEST = 7, SEQ_BEGIN = 8, SEQ_END = 9;
const MON_OP = [0, 1, 1, 2, 2, 4, 3, 3, 3, 3];
const STREAM = 1, SEQPACKET = 2;

function mulberry32(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

// Payload bytes: lowercase letters; a frame's payload is a slice starting anywhere in 0..25.
const PATTERN = Buffer.alloc(MAX_RW + 26);
for (let i = 0; i < PATTERN.length; i++) PATTERN[i] = 97 + (i % 26);

/** Classic pcap writer over a reused 1 MiB buffer; stops accepting frames at `limit`. */
class PcapOut {
  constructor(path, limit) {
    this.fd = openSync(path, 'w');
    this.buf = Buffer.allocUnsafe(CHUNK);
    this.pos = 0;
    this.bytes = 0;
    this.frames = 0;
    this.limit = limit;
    this.us = 0;
    const b = this.buf;
    b.writeUInt32LE(0xa1b2c3d4, 0);
    b.writeUInt16LE(2, 4);
    b.writeUInt16LE(4, 6);
    b.writeUInt32LE(0, 8);
    b.writeUInt32LE(0, 12);
    b.writeUInt32LE(SNAPLEN, 16);
    b.writeUInt32LE(LINKTYPE_VSOCK, 20);
    this.pos = 24;
  }

  get full() {
    return this.frames >= this.limit;
  }

  /** One frame from `src` to `dst` ({cid, port}); `len` payload bytes (RW) or a marker (seq). */
  frame(src, dst, type, op, flags, bufAlloc, fwdCnt, len, seqCnt = 0, seqLen = 0) {
    if (this.frames >= this.limit) return false;
    const total = 76 + len;
    if (this.pos + 16 + total > CHUNK) this.flush();
    const b = this.buf;
    let p = this.pos;
    const sec = Math.floor(this.us / 1e6);
    b.writeUInt32LE(EPOCH + sec, p);
    b.writeUInt32LE(this.us - sec * 1e6, p + 4);
    b.writeUInt32LE(total, p + 8);
    b.writeUInt32LE(total, p + 12);
    p += 16;
    // af_vsockmon_hdr
    b.writeUInt32LE(src.cid, p); b.writeUInt32LE(0, p + 4);
    b.writeUInt32LE(dst.cid, p + 8); b.writeUInt32LE(0, p + 12);
    b.writeUInt32LE(src.port, p + 16);
    b.writeUInt32LE(dst.port, p + 20);
    b.writeUInt16LE(MON_OP[op], p + 24);
    b.writeUInt16LE(2, p + 26); // VIRTIO
    b.writeUInt16LE(44, p + 28);
    b.writeUInt16LE(0, p + 30);
    // virtio_vsock_hdr
    p += 32;
    b.writeUInt32LE(src.cid, p); b.writeUInt32LE(0, p + 4);
    b.writeUInt32LE(dst.cid, p + 8); b.writeUInt32LE(0, p + 12);
    b.writeUInt32LE(src.port, p + 16);
    b.writeUInt32LE(dst.port, p + 20);
    b.writeUInt32LE(len, p + 24);
    b.writeUInt16LE(type, p + 28);
    b.writeUInt16LE(op, p + 30);
    b.writeUInt32LE(flags, p + 32);
    b.writeUInt32LE(bufAlloc, p + 36);
    b.writeUInt32LE(fwdCnt >>> 0, p + 40);
    p += 44;
    if (op === SEQ_BEGIN || op === SEQ_END) {
      b.writeUInt32LE(seqCnt >>> 0, p);
      b.writeUInt32LE(seqLen >>> 0, p + 4);
    } else if (len > 0) {
      const from = (src.port + this.frames) % 26;
      PATTERN.copy(b, p, from, from + len);
    }
    this.pos = p + len;
    this.frames++;
    return true;
  }

  tick(us) {
    this.us += us;
  }

  flush() {
    for (let done = 0; done < this.pos; ) done += writeSync(this.fd, this.buf, done, this.pos - done);
    this.bytes += this.pos;
    this.pos = 0;
  }

  close() {
    this.flush();
    closeSync(this.fd);
    return this.bytes;
  }
}

function upToDate(path, frames) {
  const marker = `${path}.done`;
  if (!existsSync(path) || !existsSync(marker)) return false;
  try {
    const m = JSON.parse(readFileSync(marker, 'utf8'));
    return m.version === VERSION && m.frames === frames && statSync(path).size === m.bytes;
  } catch {
    return false;
  }
}

function generate(path, frames, fill) {
  if (upToDate(path, frames)) return path;
  const out = new PcapOut(path, frames);
  fill(out);
  const bytes = out.close();
  if (out.frames !== frames) throw new Error(`bench gen: ${path}: ${out.frames} frames, wanted ${frames}`);
  writeFileSync(`${path}.done`, JSON.stringify({ version: VERSION, frames, bytes }) + '\n');
  return path;
}

// ---------------------------------------------------------------------------------------
// The mixed traffic

const SLOTS = 48;

/** Per-side kernel counters of one connection. */
function side(cid, port) {
  return { cid, port, fwd: 0, lastAdv: 0, cnt: 0, tx: 0 };
}

function fillMix(out, seed) {
  const rnd = mulberry32(seed);
  const int = (lo, hi) => lo + Math.floor(rnd() * (hi - lo + 1));
  const gauss = () => Math.sqrt(-2 * Math.log(1 - rnd())) * Math.cos(2 * Math.PI * rnd());
  // Log-normal record sizes, median 250 bytes, plus rare bulk records of 64-160 KiB
  // (several RWs each). Everything stays below the window, so a Linux sender never waits
  // for credit with a receiver that reads every record at once.
  const size = () => rnd() < 0.001
    ? int(MAX_RW + 1, 160000)
    : Math.max(1, Math.min(200000, Math.round(Math.exp(Math.log(250) + 1.15 * gauss()))));
  let nextPort = 40000;
  const newConn = (i) => {
    const r = rnd();
    const kind = r < 0.7 ? 'v4' : r < 0.85 ? 'eom' : 'stream';
    const loop = i % 4 === 0;
    nextPort = nextPort >= 60999 ? 40000 : nextPort + 1;
    return {
      kind, type: kind === 'stream' ? STREAM : SEQPACKET, open: false, left: int(5, 400),
      c: side(loop ? 1 : 3, nextPort), s: side(loop ? 1 : 2, 5000 + (i % 8)),
    };
  };
  const slots = Array.from({ length: SLOTS }, (_, i) => newConn(i));

  // A packet from `a` to `b` carries a's buf_alloc and fwd_cnt.
  const pkt = (conn, a, b, op, flags, len, seqCnt, seqLen) => {
    out.tick(int(1, 40));
    a.lastAdv = a.fwd;
    return out.frame(a, b, conn.type, op, flags, BUF_ALLOC, a.fwd, len, seqCnt, seqLen);
  };

  // One record / message / write from a to b, read at once by b.
  const send = (conn, a, b) => {
    const len = size();
    const eor = rnd() < 0.5;
    if (conn.kind === 'v4') {
      const n = a.cnt;
      a.cnt = (a.cnt + 2) >>> 0;
      pkt(conn, a, b, SEQ_BEGIN, 0, 8, n, len);
      for (let off = 0; off < len; off += MAX_RW) pkt(conn, a, b, RW, eor ? 1 : 0, Math.min(MAX_RW, len - off));
      pkt(conn, a, b, SEQ_END, 0, 8, n + 1, 0);
      b.fwd += len + 16;
      pkt(conn, b, a, CREDIT_UPDATE, 0, 0);
    } else if (conn.kind === 'eom') {
      for (let off = 0; off < len; off += MAX_RW) {
        const n = Math.min(MAX_RW, len - off);
        pkt(conn, a, b, RW, off + n === len ? (eor ? 3 : 1) : 0, n);
      }
      b.fwd += len;
      pkt(conn, b, a, CREDIT_UPDATE, 0, 0);
    } else {
      for (let off = 0; off < len; off += MAX_RW) pkt(conn, a, b, RW, 0, Math.min(MAX_RW, len - off));
      b.fwd += len;
      // virtio_transport_stream_do_dequeue: update once free space falls below 64 KiB.
      if (BUF_ALLOC - (b.fwd - b.lastAdv) < MAX_RW) pkt(conn, b, a, CREDIT_UPDATE, 0, 0);
    }
  };

  while (!out.full) {
    const i = int(0, SLOTS - 1);
    const conn = slots[i];
    out.tick(int(5, 400));
    if (!conn.open) {
      pkt(conn, conn.c, conn.s, REQUEST, 0, 0);
      pkt(conn, conn.s, conn.c, RESPONSE, 0, 0);
      conn.open = true;
    } else if (conn.left-- > 0) {
      send(conn, conn.c, conn.s);
      if (rnd() < 0.4) send(conn, conn.s, conn.c);
    } else {
      pkt(conn, conn.c, conn.s, SHUTDOWN, 3, 0);
      pkt(conn, conn.s, conn.c, RST, 0, 0);
      if (rnd() < 0.5) pkt(conn, conn.s, conn.c, RST, 0, 0);
      slots[i] = newConn(i);
    }
  }
}

// ---------------------------------------------------------------------------------------
// Header-only traffic

function fillHeaders(out, seed) {
  const rnd = mulberry32(seed);
  const int = (lo, hi) => lo + Math.floor(rnd() * (hi - lo + 1));
  let nextPort = 40000;
  const newConn = (i) => {
    nextPort = nextPort >= 60999 ? 40000 : nextPort + 1;
    return {
      type: rnd() < 0.75 ? SEQPACKET : STREAM, open: false, left: int(20, 2000),
      c: side(3, nextPort), s: side(2, 6000 + (i % 8)),
    };
  };
  const slots = Array.from({ length: SLOTS }, (_, i) => newConn(i));
  const pkt = (conn, a, b, op, flags) => {
    out.tick(int(1, 40));
    return out.frame(a, b, conn.type, op, flags, BUF_ALLOC, 0, 0);
  };
  while (!out.full) {
    const i = int(0, SLOTS - 1);
    const conn = slots[i];
    out.tick(int(5, 200));
    if (!conn.open) {
      pkt(conn, conn.c, conn.s, REQUEST, 0);
      pkt(conn, conn.s, conn.c, RESPONSE, 0);
      conn.open = true;
    } else if (conn.left-- > 0) {
      const fromClient = rnd() < 0.5;
      const [a, b] = fromClient ? [conn.c, conn.s] : [conn.s, conn.c];
      if (rnd() < 0.1) {
        // A credit request, answered by an update.
        pkt(conn, a, b, CREDIT_REQUEST, 0);
        pkt(conn, b, a, CREDIT_UPDATE, 0);
      } else {
        pkt(conn, a, b, CREDIT_UPDATE, 0);
      }
    } else {
      pkt(conn, conn.c, conn.s, SHUTDOWN, 3);
      pkt(conn, conn.s, conn.c, RST, 0);
      slots[i] = newConn(i);
    }
  }
}

// ---------------------------------------------------------------------------------------

export async function makeBenchCaptures(dir) {
  const mix = generate(join(dir, 'mix-1m.pcap'), 1_000_000, (out) => fillMix(out, 0x5eed0001));
  const headers = generate(join(dir, 'hdr-1m.pcap'), 1_000_000, (out) => fillHeaders(out, 0x5eed0002));
  return { mix, headers };
}

export async function makeHugeCapture(dir, frames = 10_000_000) {
  const name = frames % 1_000_000 === 0 ? `mix-${frames / 1_000_000}m.pcap` : `mix-${frames}.pcap`;
  return generate(join(dir, name), frames, (out) => fillMix(out, 0x5eed0001));
}
