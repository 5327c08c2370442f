// The field table: the single declaration of every header vsockscope decodes.
// Offsets and types (and from them the binary-parser parsers and the encoder),
// display names, enum and flag names, JSON keys, display-filter names and the
// matching tshark field names all come from here.

export type FieldType = 'u16' | 'u32' | 'u64';

export const FIELD_SIZE: Readonly<Record<FieldType, number>> = { u16: 2, u32: 4, u64: 8 };

/** Where a flag bit means something: the op it rides on and, for RW, the dialect. */
export type FlagContext = 'shutdown' | 'rw_merged' | 'rw_v4';

export interface FlagBit {
  readonly mask: number;
  /** Last component of the display-filter name: `vsock.virtio.flags.<key>`. */
  readonly key: string;
  /** Name shown in summaries and the detail tree. */
  readonly name: string;
  readonly context: FlagContext;
}

export interface FieldDef {
  /** JSON key inside the header's object; also the last part of the filter name. */
  readonly key: string;
  /** Human-readable name for the detail tree. */
  readonly name: string;
  readonly type: FieldType;
  readonly offset: number;
  readonly enumNames?: Readonly<Record<number, string>>;
  readonly flagBits?: readonly FlagBit[];
  /** tshark's name for this field when it is not ours (their `src_prot` typo). */
  readonly tshark?: string;
  /** False for fields decoded and filterable but not part of the JSON contract. */
  readonly inJson?: boolean;
  readonly hex?: boolean;
}

export interface HeaderDef {
  /** JSON path under the frame object and display-filter prefix, e.g. `vsock.virtio`. */
  readonly path: string;
  readonly name: string;
  readonly size: number;
  readonly fields: readonly FieldDef[];
}

export const MON_OP_NAMES: Readonly<Record<number, string>> = {
  0: 'UNKNOWN', 1: 'CONNECT', 2: 'DISCONNECT', 3: 'CONTROL', 4: 'PAYLOAD',
};

export const MON_TRANSPORT_NAMES: Readonly<Record<number, string>> = {
  0: 'UNKNOWN', 1: 'NO_INFO', 2: 'VIRTIO',
};

export const VIRTIO_TYPE_NAMES: Readonly<Record<number, string>> = { 1: 'STREAM', 2: 'SEQPACKET' };

export const VIRTIO_OP_NAMES: Readonly<Record<number, string>> = {
  0: 'INVALID', 1: 'REQUEST', 2: 'RESPONSE', 3: 'RST', 4: 'SHUTDOWN', 5: 'RW',
  6: 'CREDIT_UPDATE', 7: 'CREDIT_REQUEST', 8: 'SEQ_BEGIN', 9: 'SEQ_END',
};

export const OP = {
  INVALID: 0, REQUEST: 1, RESPONSE: 2, RST: 3, SHUTDOWN: 4, RW: 5,
  CREDIT_UPDATE: 6, CREDIT_REQUEST: 7, SEQ_BEGIN: 8, SEQ_END: 9,
} as const;

export const MON_OP = { UNKNOWN: 0, CONNECT: 1, DISCONNECT: 2, CONTROL: 3, PAYLOAD: 4 } as const;
export const TRANSPORT_VIRTIO = 2;
export const TYPE_STREAM = 1;
export const TYPE_SEQPACKET = 2;

export const FLAG_BITS: readonly FlagBit[] = [
  { mask: 1, key: 'shutdown_rcv', name: 'RCV', context: 'shutdown' },
  { mask: 2, key: 'shutdown_send', name: 'SEND', context: 'shutdown' },
  { mask: 1, key: 'eom', name: 'EOM', context: 'rw_merged' },
  { mask: 2, key: 'eor', name: 'EOR', context: 'rw_merged' },
  { mask: 1, key: 'msg_eor', name: 'MSG_EOR', context: 'rw_v4' },
];

export const VSOCKMON_HEADER: HeaderDef = {
  path: 'vsock',
  name: 'vsockmon header (af_vsockmon_hdr)',
  size: 32,
  fields: [
    { key: 'src_cid', name: 'Source CID', type: 'u64', offset: 0 },
    { key: 'dst_cid', name: 'Destination CID', type: 'u64', offset: 8 },
    { key: 'src_port', name: 'Source port', type: 'u32', offset: 16 },
    { key: 'dst_port', name: 'Destination port', type: 'u32', offset: 20 },
    { key: 'op', name: 'Operation', type: 'u16', offset: 24, enumNames: MON_OP_NAMES },
    { key: 'trans', name: 'Transport', type: 'u16', offset: 26, enumNames: MON_TRANSPORT_NAMES },
    { key: 'trans_len', name: 'Transport header length', type: 'u16', offset: 28 },
    { key: 'reserved', name: 'Reserved', type: 'u16', offset: 30, inJson: false, hex: true },
  ],
};

export const VIRTIO_HEADER: HeaderDef = {
  path: 'vsock.virtio',
  name: 'virtio-vsock header (virtio_vsock_hdr)',
  size: 44,
  fields: [
    { key: 'src_cid', name: 'Source CID', type: 'u64', offset: 0 },
    { key: 'dst_cid', name: 'Destination CID', type: 'u64', offset: 8 },
    { key: 'src_port', name: 'Source port', type: 'u32', offset: 16, tshark: 'vsock.virtio.src_prot' },
    { key: 'dst_port', name: 'Destination port', type: 'u32', offset: 20, tshark: 'vsock.virtio.dst_prot' },
    { key: 'len', name: 'Payload length', type: 'u32', offset: 24 },
    { key: 'type', name: 'Socket type', type: 'u16', offset: 28, enumNames: VIRTIO_TYPE_NAMES },
    { key: 'op', name: 'Operation', type: 'u16', offset: 30, enumNames: VIRTIO_OP_NAMES },
    { key: 'flags', name: 'Flags', type: 'u32', offset: 32, flagBits: FLAG_BITS, hex: true },
    { key: 'buf_alloc', name: 'Buffer allocation', type: 'u32', offset: 36 },
    { key: 'fwd_cnt', name: 'Forward count', type: 'u32', offset: 40 },
  ],
};

export const SEQ_HEADER: HeaderDef = {
  path: 'vsock.seq',
  name: 'SEQPACKET marker (virtio_vsock_seq_hdr)',
  size: 8,
  fields: [
    { key: 'msg_cnt', name: 'Message counter', type: 'u32', offset: 0 },
    { key: 'msg_len', name: 'Message length', type: 'u32', offset: 4 },
  ],
};

export const HEADERS: readonly HeaderDef[] = [VSOCKMON_HEADER, VIRTIO_HEADER, SEQ_HEADER];

export function filterName(header: HeaderDef, field: FieldDef): string {
  return `${header.path}.${field.key}`;
}

export function tsharkName(header: HeaderDef, field: FieldDef): string {
  return field.tshark ?? filterName(header, field);
}

const MON_OPS_BY_VIRTIO_OP: readonly (readonly number[])[] = [
  [MON_OP.UNKNOWN],
  [MON_OP.CONNECT], [MON_OP.CONNECT],
  [MON_OP.DISCONNECT], [MON_OP.DISCONNECT],
  [MON_OP.PAYLOAD],
  [MON_OP.CONTROL], [MON_OP.CONTROL],
  // Ops 8/9: CONTROL on RFC-v4 kernels, UNKNOWN on merged kernels that do not know them.
  [MON_OP.CONTROL, MON_OP.UNKNOWN], [MON_OP.CONTROL, MON_OP.UNKNOWN],
];

/** The vsockmon ops the kernel may write for a virtio op. */
export function expectedMonOps(virtioOp: number): readonly number[] {
  return MON_OPS_BY_VIRTIO_OP[virtioOp] ?? MON_OPS_BY_VIRTIO_OP[OP.INVALID]!;
}

// expectedMonOps() as one bit per vsockmon op: the decoder asks it of every frame.
const MON_OP_BITS: readonly number[] = MON_OPS_BY_VIRTIO_OP.map((ops) => ops.reduce((bits, op) => bits | (1 << op), 0));

/** Whether the kernel may write vsockmon op `monOp` for virtio op `virtioOp`. */
export function monOpExpected(virtioOp: number, monOp: number): boolean {
  const bits = virtioOp < MON_OP_BITS.length ? MON_OP_BITS[virtioOp]! : MON_OP_BITS[OP.INVALID]!;
  return monOp < 31 && ((bits >>> monOp) & 1) !== 0;
}

export function isMarkerOp(op: number): boolean {
  return op === OP.SEQ_BEGIN || op === OP.SEQ_END;
}

/** The flag bits that mean something on a packet with this op in this dialect. */
export function flagContext(op: number, v4Dialect: boolean): FlagContext | undefined {
  if (op === OP.SHUTDOWN) return 'shutdown';
  if (dialectNamesFlags(op)) return v4Dialect ? 'rw_v4' : 'rw_merged';
  return undefined;
}

/** Whether flagContext() depends on the dialect for this op: whether a frame's dialect need be looked up. */
export function dialectNamesFlags(op: number): boolean {
  return op === OP.RW;
}

const FLAG_BITS_BY_CONTEXT: Readonly<Record<FlagContext, readonly FlagBit[]>> = {
  shutdown: FLAG_BITS.filter((b) => b.context === 'shutdown'),
  rw_merged: FLAG_BITS.filter((b) => b.context === 'rw_merged'),
  rw_v4: FLAG_BITS.filter((b) => b.context === 'rw_v4'),
};
const NO_FLAG_BITS: readonly FlagBit[] = [];

/** The flag bits that have a meaning in this context, in table order. */
export function flagBitsOf(context: FlagContext | undefined): readonly FlagBit[] {
  return context === undefined ? NO_FLAG_BITS : FLAG_BITS_BY_CONTEXT[context];
}

export function enumName(names: Readonly<Record<number, string>>, value: number): string {
  return names[value] ?? `unknown(${value})`;
}
