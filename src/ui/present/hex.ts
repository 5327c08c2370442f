// The hex pane: the payload as `read -x` dumps it (the ASCII column shows only printable
// ASCII, so no payload byte reaches the terminal as a control character).

import { bytesOf } from '../../dissect/container/record-bytes.js';
import type { DecodedFrame } from '../../dissect/decode.js';
import { hexdumpLines } from '../../dissect/present/hexdump.js';

const linesByFrame = new WeakMap<DecodedFrame, string[]>();

export function payloadHexLines(frame: DecodedFrame): string[] {
  let lines = linesByFrame.get(frame);
  if (lines === undefined) {
    lines = hexdumpLines(bytesOf(frame).subarray(frame.payloadOffset, frame.payloadOffset + frame.payloadCaptured));
    linesByFrame.set(frame, lines);
  }
  return lines;
}
