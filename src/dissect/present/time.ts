// Timestamps are kept as (seconds, nanoseconds) and printed with integer
// arithmetic at the capture's own resolution, so no digit is invented or lost.

export interface Timestamp {
  readonly tsSec: number;
  readonly tsNsec: number;
  readonly tsDigits: number;
}

const POW10 = [1, 10, 100, 1000, 10000, 100000, 1000000, 10000000, 100000000, 1000000000];

function fraction(nsec: number, digits: number): string {
  if (digits <= 0) return '';
  const scaled = Math.floor(nsec / POW10[9 - digits]!);
  return '.' + String(scaled).padStart(digits, '0');
}

/** Seconds since the epoch, e.g. `1795587022.833663`. */
export function formatEpoch(t: Timestamp): string {
  return String(t.tsSec) + fraction(t.tsNsec, t.tsDigits);
}

/** Seconds since `origin`, e.g. `0.023266`; negative when the capture goes back in time. */
export function formatRelative(t: Timestamp, origin: Timestamp): string {
  let sec = t.tsSec - origin.tsSec;
  let nsec = t.tsNsec - origin.tsNsec;
  if (nsec < 0) { sec -= 1; nsec += 1e9; }
  if (sec < 0) {
    // Print -(origin - t) rather than a negative seconds part with a positive fraction.
    let nsec2 = 1e9 - nsec;
    let sec2 = -sec - 1;
    if (nsec2 === 1e9) { nsec2 = 0; sec2 += 1; }
    return '-' + String(sec2) + fraction(nsec2, t.tsDigits);
  }
  return String(sec) + fraction(nsec, t.tsDigits);
}

/** ISO 8601 UTC with the capture's resolution, e.g. `2026-11-25T06:10:22.833663Z`. */
export function formatIso(t: Timestamp): string {
  const iso = new Date(t.tsSec * 1000).toISOString().slice(0, 19);
  return iso + fraction(t.tsNsec, t.tsDigits) + 'Z';
}

export function toSeconds(t: Timestamp): number {
  return t.tsSec + t.tsNsec / 1e9;
}
