// The detail tree of one frame (`read -V`, the TUI detail pane), built from the
// field table. Each node knows the bytes it covers so a hex view can highlight them.

import type { DecodedFrame } from '../decode.js';
import {
  FIELD_SIZE, SEQ_HEADER, VIRTIO_HEADER, VSOCKMON_HEADER, filterName, flagBitsOf, flagContext, type FieldDef, type HeaderDef,
} from '../fields.js';
import { escapeText } from './escape.js';
import { formatEpoch, formatIso } from './time.js';

export interface TreeNode {
  readonly label: string;
  /** Display-filter name of the field, when the node is one. */
  readonly field?: string;
  /** Byte range [start, end) in the frame's captured bytes. */
  readonly range?: readonly [number, number];
  readonly children?: readonly TreeNode[];
}

function fieldValue(f: FieldDef, value: number | bigint): string {
  if (f.enumNames !== undefined) return `${f.enumNames[Number(value)] ?? 'unknown'} (${value})`;
  if (f.hex === true) return '0x' + value.toString(16).padStart(FIELD_SIZE[f.type] * 2, '0');
  return String(value);
}

/** Date covers 8.64e15 ms either side of the epoch; a pcapng tick count can reach far beyond it. */
const DATE_LIMIT_SECONDS = 8.64e12;

function arrivalTime(frame: DecodedFrame): string {
  return Math.abs(frame.tsSec) <= DATE_LIMIT_SECONDS ? formatIso(frame) : `beyond the calendar (epoch ${formatEpoch(frame)} s)`;
}

function flagChildren(flags: number, op: number, v4Dialect: boolean): TreeNode[] {
  return flagBitsOf(flagContext(op, v4Dialect)).map((b) => ({
    label: `${b.name}: ${(flags & b.mask) !== 0 ? 'set' : 'not set'}`,
    field: `vsock.virtio.flags.${b.key}`,
  }));
}

function headerNode(header: HeaderDef, values: object, at: number, v4Dialect: boolean, op: number): TreeNode {
  const record = values as Record<string, number | bigint>;
  return {
    label: header.name,
    field: header.path,
    range: [at, at + header.size],
    children: header.fields.map((f) => {
      const value = record[f.key]!;
      const children = f.flagBits !== undefined ? flagChildren(Number(value), op, v4Dialect) : undefined;
      return {
        label: `${f.name}: ${fieldValue(f, value)}`,
        field: filterName(header, f),
        range: [at + f.offset, at + f.offset + FIELD_SIZE[f.type]] as const,
        ...(children !== undefined && children.length > 0 ? { children } : {}),
      };
    }),
  };
}

export function frameTree(frame: DecodedFrame, v4Dialect: boolean): TreeNode[] {
  const nodes: TreeNode[] = [{
    label: `Frame ${frame.number}: ${frame.len} bytes on wire, ${frame.capLen} bytes captured`,
    field: 'frame',
    range: [0, frame.capLen],
    children: [
      { label: `Arrival time: ${arrivalTime(frame)}`, field: 'frame.time_epoch' },
      { label: `Epoch time: ${formatEpoch(frame)}`, field: 'frame.time_epoch' },
      { label: `Frame number: ${frame.number}`, field: 'frame.number' },
      { label: `Frame length: ${frame.len}`, field: 'frame.len' },
      { label: `Capture length: ${frame.capLen}`, field: 'frame.cap_len' },
      { label: `Link type: ${frame.linkType}` },
    ],
  }];
  const base = frame.vsockOffset;
  const op = frame.virtio?.op ?? -1;
  if (frame.vsock !== undefined) nodes.push(headerNode(VSOCKMON_HEADER, frame.vsock, base, v4Dialect, op));
  if (frame.virtio !== undefined) nodes.push(headerNode(VIRTIO_HEADER, frame.virtio, base + VSOCKMON_HEADER.size, v4Dialect, op));
  if (frame.seq !== undefined) nodes.push(headerNode(SEQ_HEADER, frame.seq, frame.payloadOffset, v4Dialect, op));
  else if (frame.payloadCaptured > 0) {
    nodes.push({ label: `Payload: ${frame.payloadCaptured} bytes captured`, field: 'vsock.payload', range: [frame.payloadOffset, frame.payloadOffset + frame.payloadCaptured] });
  }
  if (frame.expert.length > 0) {
    nodes.push({
      label: 'Expert info',
      children: frame.expert.map((f) => ({ label: `[${f.severity}] ${f.code}: ${escapeText(f.message)}`, field: f.code })),
    });
  }
  return nodes;
}

export function renderTree(nodes: readonly TreeNode[], indent = ''): string[] {
  const lines: string[] = [];
  for (const node of nodes) {
    lines.push(indent + node.label);
    if (node.children !== undefined) lines.push(...renderTree(node.children, indent + '    '));
  }
  return lines;
}
