import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { CaptureReader } from '../../src/dissect/container/reader.js';
import { bytesOf } from '../../src/dissect/container/record-bytes.js';
import { decodeFrame, FrameDecoder, type DecodedFrame } from '../../src/dissect/decode.js';
import { encodeFrame, type FrameSpec } from '../../src/dissect/encode.js';
import { expectedMonOps, monOpExpected } from '../../src/dissect/fields.js';
import { CAPTURES_DIR, captureFiles } from '../helpers/captures.js';
import { codes, decode } from '../helpers/packets.js';

const rw = (over: Partial<FrameSpec['virtio']> = {}, payload = new Uint8Array(10)): FrameSpec => ({
  virtio: { src_cid: 3, dst_cid: 2, src_port: 1025, dst_port: 5000, type: 2, op: 5, flags: 1, buf_alloc: 262144, fwd_cnt: 7, ...over },
  payload,
});

describe('decodeFrame', () => {
  it('decodes hand-laid bytes at the offsets of PROTOCOL.md 2.1/2.2/2.4', () => {
    // A SEQ_BEGIN from 3:1025 to 2:5000, written byte by byte (not with the encoder).
    const b = new Uint8Array(32 + 44 + 8);
    const dv = new DataView(b.buffer);
    dv.setUint32(0, 3, true); dv.setUint32(8, 2, true); dv.setUint32(16, 1025, true); dv.setUint32(20, 5000, true);
    dv.setUint16(24, 3, true); dv.setUint16(26, 2, true); dv.setUint16(28, 44, true);
    dv.setUint32(32, 3, true); dv.setUint32(40, 2, true); dv.setUint32(48, 1025, true); dv.setUint32(52, 5000, true);
    dv.setUint32(56, 8, true); dv.setUint16(60, 2, true); dv.setUint16(62, 8, true); dv.setUint32(64, 0, true);
    dv.setUint32(68, 65536, true); dv.setUint32(72, 4242, true);
    dv.setUint32(76, 6, true); dv.setUint32(80, 4096, true);
    const f = decode(b);
    expect(f.vsock).toMatchObject({ src_cid: 3, dst_cid: 2, src_port: 1025, dst_port: 5000, op: 3, trans: 2, trans_len: 44, reserved: 0 });
    expect(f.virtio).toMatchObject({ src_cid: 3, dst_cid: 2, src_port: 1025, dst_port: 5000, len: 8, type: 2, op: 8, flags: 0, buf_alloc: 65536, fwd_cnt: 4242 });
    expect(f.seq).toMatchObject({ msg_cnt: 6, msg_len: 4096 });
    expect(f.payloadOffset).toBe(76);
    expect(codes(f)).toEqual([]);
  });

  it('keeps 64-bit CIDs exact', () => {
    const f = decode(encodeFrame(rw({ src_cid: 2n ** 53n + 1n, dst_cid: 2 ** 53 - 1 })));
    expect(f.virtio!.src_cid).toBe(2n ** 53n + 1n);
    expect(f.virtio!.dst_cid).toBe(2 ** 53 - 1);
    expect(codes(f)).toEqual([]);
    const any = decode(encodeFrame(rw({ src_cid: 0xffffffff, dst_cid: 2 ** 32 })));
    expect(any.vsock).toMatchObject({ src_cid: 0xffffffff, dst_cid: 2 ** 32 });
    expect(codes(any)).toEqual([]);
  });

  it('reports a frame shorter than the vsockmon header', () => {
    expect(codes(decode(new Uint8Array(31)))).toEqual(['vsock.malformed.short_frame']);
  });

  it('reports a frame shorter than 32 + vsockmon len', () => {
    const f = decode(encodeFrame(rw()).subarray(0, 70));
    expect(codes(f)).toContain('vsock.malformed.short_frame');
    expect(f.virtio).toBeUndefined();
  });

  it('reports VIRTIO transport with a header length other than 44', () => {
    expect(codes(decode(encodeFrame({ ...rw(), vsock: { trans_len: 40 } })))).toContain('vsock.malformed.trans_len');
  });

  it('reports a non-virtio transport and decodes no virtio header', () => {
    const f = decode(encodeFrame({ ...rw(), vsock: { trans: 1 } }));
    expect(codes(f)).toEqual(['vsock.malformed.unknown_transport']);
    expect(f.virtio).toBeUndefined();
  });

  it('reports captured payload length different from virtio len', () => {
    const f = decode(encodeFrame(rw({ len: 3732 }, new Uint8Array(7000))));
    expect(codes(f)).toEqual(['vsock.malformed.payload_len']);
    expect(f.expert[0]!.details).toEqual({ len: 3732, captured: 7000 });
  });

  it('does not blame the payload length on a frame cut by the snaplen', () => {
    const whole = encodeFrame(rw({}, new Uint8Array(1000)));
    const f = decode(whole.subarray(0, 100), { capLen: 100, origLen: whole.length });
    expect(codes(f)).toEqual(['frame.snaplen_truncated']);
  });

  it('reports vsockmon addresses that differ from the virtio header', () => {
    expect(codes(decode(encodeFrame({ ...rw(), vsock: { dst_port: 5001 } })))).toEqual(['vsock.malformed.addr_mismatch']);
  });

  it('checks the vsockmon op against the kernel mapping', () => {
    expect(codes(decode(encodeFrame({ ...rw(), vsock: { op: 3 } })))).toEqual(['vsock.malformed.op_mismatch']);
    const begin = (monOp: number) => encodeFrame({ virtio: { ...rw().virtio, op: 8, flags: 0 }, seq: { msg_cnt: 0, msg_len: 1 }, vsock: { op: monOp } });
    expect(codes(decode(begin(3)))).toEqual([]); // CONTROL: RFC v4 kernel
    expect(codes(decode(begin(0)))).toEqual([]); // UNKNOWN: merged kernel
    expect(codes(decode(begin(4)))).toEqual(['vsock.malformed.op_mismatch']);
  });

  it('reports unknown socket types and ops', () => {
    expect(codes(decode(encodeFrame(rw({ type: 3 }))))).toEqual(['vsock.malformed.unknown_type']);
    expect(codes(decode(encodeFrame({ ...rw({ op: 10 }), vsock: { op: 0 } })))).toEqual(['vsock.malformed.unknown_op']);
  });

  it('reports a marker whose len is not 8 and decodes no seq header', () => {
    const f = decode(encodeFrame({ virtio: { ...rw().virtio, op: 9, flags: 0 }, payload: new Uint8Array(4) }));
    expect(codes(f)).toEqual(['vsock.malformed.seq_hdr']);
    expect(f.seq).toBeUndefined();
  });

  it('decodes frames from Linux cooked captures with ARPHRD 826', () => {
    const inner = encodeFrame(rw());
    const sll2 = new Uint8Array(20 + inner.length);
    sll2[8] = 826 >> 8; sll2[9] = 826 & 0xff;
    sll2.set(inner, 20);
    const f = decode(sll2, { linkType: 276 });
    expect(f.vsockOffset).toBe(20);
    expect(f.virtio!.src_port).toBe(1025);
    const sll = new Uint8Array(16 + inner.length);
    sll[2] = 826 >> 8; sll[3] = 826 & 0xff;
    sll.set(inner, 16);
    expect(decode(sll, { linkType: 113 }).virtio!.dst_port).toBe(5000);
  });

  it('decodes a frame whose bytes are a view inside a larger buffer as it decodes a copy', () => {
    for (const spec of [rw(), rw({ op: 8, flags: 0 }, new Uint8Array([2, 0, 0, 0, 16, 0, 0, 0])), rw({ op: 12, src_cid: 2 ** 40 })]) {
      const frame = encodeFrame(spec);
      const buffer = new Uint8Array(frame.length + 13);
      buffer.set(frame, 7);
      const { view: _, dataOffset: __, ...inside } = decode(buffer.subarray(7, 7 + frame.length));
      const { view: ___, dataOffset: ____, ...copy } = decode(frame.slice());
      expect(inside).toEqual(copy);
    }
  });

  it('checks the vsockmon op against expectedMonOps()', () => {
    for (let op = 0; op < 70000; op += op < 40 ? 1 : 997) {
      for (let mon = 0; mon < 70000; mon += mon < 40 ? 1 : 991) {
        expect(monOpExpected(op, mon), `virtio op ${op}, vsockmon op ${mon}`).toBe(expectedMonOps(op).includes(mon));
      }
    }
  });

  it('reports frames of other link types without decoding them', () => {
    const f = decode(encodeFrame(rw()), { linkType: 1 });
    expect(codes(f)).toEqual(['frame.not_vsock']);
    expect(f.vsock).toBeUndefined();
  });
});

describe('FrameDecoder', () => {
  /** A frame's content, apart from where its bytes lie. */
  const content = (f: DecodedFrame) => {
    const { view: _view, dataOffset: _dataOffset, expert, ...fields } = f;
    return { ...fields, vsock: f.vsock && { ...f.vsock }, virtio: f.virtio && { ...f.virtio }, seq: f.seq && { ...f.seq }, expert: expert.map((x) => x.code), bytes: Buffer.from(bytesOf(f)).toString('hex') };
  };

  it.each(captureFiles().map((p) => [p.slice(CAPTURES_DIR.length), p]))('%s: every frame as decodeFrame decodes it, and each intact while the next is decoded', (_name, path) => {
    const decoder = new FrameDecoder();
    let previous: { frame: DecodedFrame; content: ReturnType<typeof content> } | undefined;
    let frames = 0;
    const reader = new CaptureReader({
      packet: (p) => {
        const fresh = content(decodeFrame(p));
        const frame = decoder.decode(p);
        expect(content(frame)).toEqual(fresh);
        if (previous !== undefined) expect(content(previous.frame)).toEqual(previous.content);
        previous = { frame, content: fresh };
        frames++;
      },
      notice: () => undefined,
    });
    // One push: the previous frame's bytes stay where they are (the pipeline copies them at a chunk's end).
    reader.push(readFileSync(path));
    reader.end();
    expect(frames).toBeGreaterThan(0);
  });
});
