// Timestamps are kept as (seconds, nanoseconds) and printed with integer
// arithmetic at the capture's own resolution, so no digit is invented or lost.

import { POW10, render, type ByteText } from './text.js';

export interface Timestamp {
  readonly tsSec: number;
  readonly tsNsec: number;
  readonly tsDigits: number;
}

function writeFraction(t: ByteText, nsec: number, digits: number): void {
  if (digits <= 0) return;
  t.byte(0x2e); // '.'
  t.numberZeros(Math.floor(nsec / POW10[9 - digits]!), digits);
}

/** Seconds since the epoch, e.g. `1795587022.833663`. */
function writeEpoch(out: ByteText, t: Timestamp): void {
  writeSeconds(out, t.tsSec, t.tsNsec, t.tsDigits);
}

/** Seconds since `origin`, e.g. `0.023266`; negative when the capture goes back in time. */
export function writeRelative(out: ByteText, t: Timestamp, origin: Timestamp): void {
  writeSeconds(out, t.tsSec - origin.tsSec, t.tsNsec - origin.tsNsec, t.tsDigits);
}

/** writeRelative() right-aligned in `width` columns, as padStart() would leave it. */
export function writeRelativeRight(out: ByteText, t: Timestamp, origin: Timestamp, width: number): void {
  let sec = t.tsSec - origin.tsSec;
  let nsec = t.tsNsec - origin.tsNsec;
  if (nsec < 0) { sec -= 1; nsec += 1e9; }
  const digits = t.tsDigits;
  if (sec >= 0 && digits > 0 && digits <= 9) {
    // The common case, written in place: no bytes moved by padding.
    out.numberRight(sec, width - 1 - digits);
    writeFraction(out, nsec, digits);
    return;
  }
  const start = out.pos;
  writeSeconds(out, sec, nsec, digits);
  out.padStart(start, width);
}

/** sec + nsec / 1e9 in decimal; nsec may be out of [0, 1e9), the whole may be negative. */
function writeSeconds(out: ByteText, sec: number, nsec: number, digits: number): void {
  if (nsec < 0) { sec -= 1; nsec += 1e9; }
  if (sec < 0) {
    // Print -(|value|) rather than a negative seconds part with a positive fraction.
    let nsec2 = 1e9 - nsec;
    let sec2 = -sec - 1;
    if (nsec2 === 1e9) { nsec2 = 0; sec2 += 1; }
    out.byte(0x2d); // '-'
    out.number(sec2);
    writeFraction(out, nsec2, digits);
    return;
  }
  out.number(sec);
  writeFraction(out, nsec, digits);
}

/** writeEpoch() as a string. */
export function formatEpoch(t: Timestamp): string {
  return render((out) => writeEpoch(out, t));
}

/** writeRelative() as a string. */
export function formatRelative(t: Timestamp, origin: Timestamp): string {
  return render((out) => writeRelative(out, t, origin));
}

/** ISO 8601 UTC with the capture's resolution, e.g. `2026-11-25T06:10:22.833663Z`. */
export function formatIso(t: Timestamp): string {
  const iso = new Date(t.tsSec * 1000).toISOString().slice(0, 19);
  return iso + render((out) => writeFraction(out, t.tsNsec, t.tsDigits)) + 'Z';
}
