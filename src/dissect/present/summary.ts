// The one-line summary of a frame (`vsockscope read`, the TUI packet list), in the
// spirit of tshark's summary line. Each column has one writer; the line writes them
// straight into the output's bytes, summaryColumns renders them as strings.

import type { DecodedFrame } from '../decode.js';
import {
  enumName, flagBitsOf, flagContext, MON_OP_NAMES, MON_TRANSPORT_NAMES, VIRTIO_OP_NAMES, VIRTIO_TYPE_NAMES,
  type FlagContext,
} from '../fields.js';
import type { Cid } from '../parsers.js';
import { EndpointColumnCache } from './column-cache.js';
import { render, textPiece, type ByteText, type TextPiece } from './text.js';
import { writeRelative, writeRelativeRight, type Timestamp } from './time.js';

export interface SummaryColumns {
  readonly number: string;
  readonly time: string;
  readonly source: string;
  readonly destination: string;
  readonly type: string;
  readonly op: string;
  readonly info: string;
  readonly codes: string;
}

const SPACE = 0x20;
const COMMA = 0x2c;
const CLOSE = 0x5d; // ']'
const UNKNOWN_ENDPOINT = 0x3f; // '?'
const ARROW = textPiece(' > ');
const OPEN = textPiece(' [');
const LEN = textPiece('len=');
const FLAGS_HEX = textPiece(' flags=0x');
const MSG_CNT = textPiece(' msg_cnt=');
const MSG_LEN = textPiece(' msg_len=');
const FWD_CNT = textPiece(' fwd_cnt=');
const TRANSPORT = textPiece('transport=');
const SPACE_LEN = textPiece(' len=');
const LINK_TYPE = textPiece(' link_type=');

/** An enum's names, encoded once; `names` gives enumName()'s text for the values not in it. */
interface EncodedNames {
  readonly names: Readonly<Record<number, string>>;
  readonly encoded: readonly (TextPiece | undefined)[];
}

/** `width`: each name padded with spaces to that many columns, as the summary line shows it. */
function encodeNames(names: Readonly<Record<number, string>>, width = 0): EncodedNames {
  const encoded: TextPiece[] = [];
  for (const [value, name] of Object.entries(names)) encoded[Number(value)] = textPiece(name.padEnd(width));
  return { names, encoded };
}

function writeName(t: ByteText, table: EncodedNames, value: number): void {
  const name = table.encoded[value];
  if (name !== undefined) t.raw(name);
  else t.text(enumName(table.names, value));
}

/** A context's named flag bits: their mask, and ` [NAME,...]` for each combination of them (none named: undefined). */
interface FlagNames {
  readonly mask: number;
  readonly pieces: readonly (TextPiece | undefined)[];
}

function flagNames(context: FlagContext): FlagNames {
  const bits = flagBitsOf(context);
  const mask = bits.reduce((m, b) => m | b.mask, 0);
  const pieces: (TextPiece | undefined)[] = [];
  for (let set = 0; set <= mask; set++) {
    const names = bits.filter((b) => (set & b.mask) !== 0).map((b) => b.name);
    pieces.push(names.length > 0 ? textPiece(` [${names.join(',')}]`) : undefined);
  }
  return { mask, pieces };
}

const FLAG_NAMES: Readonly<Record<FlagContext, FlagNames>> = {
  shutdown: flagNames('shutdown'), rw_merged: flagNames('rw_merged'), rw_v4: flagNames('rw_v4'),
};
const MON_TRANSPORTS = encodeNames(MON_TRANSPORT_NAMES);

/** The Type column's names: the virtio socket type, else what the frame is. */
interface TypeNames {
  readonly virtio: EncodedNames;
  readonly vsockmon: TextPiece;
  readonly frame: TextPiece;
}

/** The Op column's names: the virtio op, else the vsockmon op, else none. */
interface OpNames {
  readonly virtio: EncodedNames;
  readonly vsockmon: EncodedNames;
  readonly none: TextPiece;
}

function typeNames(width: number): TypeNames {
  return { virtio: encodeNames(VIRTIO_TYPE_NAMES, width), vsockmon: textPiece('vsockmon'.padEnd(width)), frame: textPiece('frame'.padEnd(width)) };
}

function opNames(width: number): OpNames {
  return { virtio: encodeNames(VIRTIO_OP_NAMES, width), vsockmon: encodeNames(MON_OP_NAMES, width), none: textPiece('-'.padEnd(width)) };
}

// The summary line's Type and Op columns, padded to their widths once here.
const TYPE_WIDTH = 9;
const OP_WIDTH = 13;
const TYPE_NAMES = typeNames(0);
const OP_NAMES = opNames(0);
const TYPE_COLUMN = typeNames(TYPE_WIDTH);
const OP_COLUMN = opNames(OP_WIDTH);

/** One more than the largest named virtio type, and op. */
const TYPE_SLOTS = Math.max(...Object.keys(VIRTIO_TYPE_NAMES).map(Number)) + 1;
const OP_SLOTS = Math.max(...Object.keys(VIRTIO_OP_NAMES).map(Number)) + 1;

/**
 * The Type and Op columns of a virtio frame, each with the space after it, as one piece for
 * each pair of a named type and a named op, at [type * OP_SLOTS + op]. Nearly every line takes one.
 */
const TYPE_OP_COLUMNS: readonly (TextPiece | undefined)[] = typeOpColumns();

function typeOpColumns(): (TextPiece | undefined)[] {
  const pieces: (TextPiece | undefined)[] = new Array<TextPiece | undefined>(TYPE_SLOTS * OP_SLOTS).fill(undefined);
  for (const [type, typeName] of Object.entries(VIRTIO_TYPE_NAMES)) {
    for (const [op, opName] of Object.entries(VIRTIO_OP_NAMES)) {
      pieces[Number(type) * OP_SLOTS + Number(op)] = textPiece(`${typeName.padEnd(TYPE_WIDTH)} ${opName.padEnd(OP_WIDTH)} `);
    }
  }
  return pieces;
}

function writeTypeOpColumns(t: ByteText, frame: DecodedFrame): void {
  const v = frame.virtio;
  const piece = v !== undefined && v.type < TYPE_SLOTS && v.op < OP_SLOTS ? TYPE_OP_COLUMNS[v.type * OP_SLOTS + v.op] : undefined;
  if (piece !== undefined) {
    t.raw(piece);
    return;
  }
  let start = t.pos;
  writeType(t, frame, TYPE_COLUMN);
  t.padEnd(start, TYPE_WIDTH);
  t.byte(SPACE);
  start = t.pos;
  writeOp(t, frame, OP_COLUMN);
  t.padEnd(start, OP_WIDTH);
  t.byte(SPACE);
}

function writeEndpoint(t: ByteText, cid: Cid, port: number): void {
  t.integer(cid);
  t.byte(0x3a); // ':'
  t.number(port);
}

function writeSource(t: ByteText, frame: DecodedFrame): void {
  const h = frame.virtio ?? frame.vsock;
  if (h === undefined) t.byte(UNKNOWN_ENDPOINT);
  else writeEndpoint(t, h.src_cid, h.src_port);
}

function writeDestination(t: ByteText, frame: DecodedFrame): void {
  const h = frame.virtio ?? frame.vsock;
  if (h === undefined) t.byte(UNKNOWN_ENDPOINT);
  else writeEndpoint(t, h.dst_cid, h.dst_port);
}

function writeType(t: ByteText, frame: DecodedFrame, names: TypeNames): void {
  const v = frame.virtio;
  if (v !== undefined) writeName(t, names.virtio, v.type);
  else t.raw(frame.vsock !== undefined ? names.vsockmon : names.frame);
}

function writeOp(t: ByteText, frame: DecodedFrame, names: OpNames): void {
  const v = frame.virtio;
  const m = frame.vsock;
  if (v !== undefined) writeName(t, names.virtio, v.op);
  else if (m !== undefined) writeName(t, names.vsockmon, m.op);
  else t.raw(names.none);
}

/**
 * ` buf_alloc=N`, kept whole once the same N came twice running: a receiver advertises one
 * buffer size on nearly every frame. Values that keep changing are written as they come.
 */
class BufAllocText {
  private value = -1;
  private piece: TextPiece | null = null;
  private readonly label = textPiece(' buf_alloc=');

  write(t: ByteText, value: number): void {
    if (value === this.value) {
      if (this.piece !== null) {
        t.raw(this.piece);
        return;
      }
      this.piece = textPiece(` buf_alloc=${value}`);
    } else {
      this.value = value;
      this.piece = null;
    }
    t.labelled(this.label, value);
  }
}
const bufAllocText = new BufAllocText();

/** `v4Dialect` names RW flag bits as MSG_EOR. */
function writeInfo(t: ByteText, frame: DecodedFrame, v4Dialect: boolean): void {
  const v = frame.virtio;
  if (v !== undefined) {
    t.labelled(LEN, v.len);
    const flags = v.flags;
    if (flags !== 0) {
      // The bits this op's context names, e.g. ` [EOM,EOR]`; none named: the value in hex.
      const context = flagContext(v.op, v4Dialect);
      const names = context === undefined ? undefined : FLAG_NAMES[context];
      const named = names === undefined ? undefined : names.pieces[flags & names.mask];
      if (named !== undefined) t.raw(named);
      else {
        t.raw(FLAGS_HEX);
        t.text(flags.toString(16));
      }
    }
    const seq = frame.seq;
    if (seq !== undefined) {
      t.labelled(MSG_CNT, seq.msg_cnt);
      t.labelled(MSG_LEN, seq.msg_len);
    }
    bufAllocText.write(t, v.buf_alloc);
    t.labelled(FWD_CNT, v.fwd_cnt);
    return;
  }
  const m = frame.vsock;
  if (m !== undefined) {
    t.raw(TRANSPORT);
    writeName(t, MON_TRANSPORTS, m.trans);
    t.labelled(SPACE_LEN, frame.len);
  } else {
    t.labelled(LEN, frame.len);
    t.labelled(LINK_TYPE, frame.linkType);
  }
}

function writeCodes(t: ByteText, frame: DecodedFrame): void {
  const e = frame.expert;
  for (let i = 0; i < e.length; i++) {
    if (i > 0) t.byte(COMMA);
    t.text(e[i]!.code);
  }
}

/** Everything a packet list shows, as separate columns. */
export function summaryColumns(frame: DecodedFrame, origin: Timestamp, v4Dialect: boolean): SummaryColumns {
  return {
    number: String(frame.number),
    time: render((t) => writeRelative(t, frame, origin)),
    source: render((t) => writeSource(t, frame)),
    destination: render((t) => writeDestination(t, frame)),
    type: render((t) => writeType(t, frame, TYPE_NAMES)),
    op: render((t) => writeOp(t, frame, OP_NAMES)),
    info: render((t) => writeInfo(t, frame, v4Dialect)),
    codes: render((t) => writeCodes(t, frame)),
  };
}

const ENDPOINTS_WIDTH = 23;
const endpointColumns = new EndpointColumnCache();

/** `Source > Destination`, padded to its width, and the space after it. */
function writeEndpointsColumn(t: ByteText, frame: DecodedFrame): void {
  const h = frame.virtio ?? frame.vsock;
  const known = h === undefined ? null : endpointColumns.find(h.src_cid, h.src_port, h.dst_cid, h.dst_port);
  if (known !== null) {
    t.raw(known);
    return;
  }
  const start = t.pos;
  writeSource(t, frame);
  t.raw(ARROW);
  writeDestination(t, frame);
  t.padEnd(start, ENDPOINTS_WIDTH);
  t.byte(SPACE);
  endpointColumns.remember(t, start);
}

/** The summary line, without its newline. */
export function writeSummaryLine(t: ByteText, frame: DecodedFrame, origin: Timestamp, v4Dialect: boolean): void {
  t.numberRight(frame.number, 6);
  t.byte(SPACE);
  writeRelativeRight(t, frame, origin, 12);
  t.byte(SPACE);
  writeEndpointsColumn(t, frame);
  writeTypeOpColumns(t, frame);
  writeInfo(t, frame, v4Dialect);
  if (frame.expert.length > 0) {
    t.raw(OPEN);
    writeCodes(t, frame);
    t.byte(CLOSE);
  }
}

export function summaryLine(frame: DecodedFrame, origin: Timestamp, v4Dialect: boolean): string {
  return render((t) => writeSummaryLine(t, frame, origin, v4Dialect));
}
