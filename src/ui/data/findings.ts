// Every finding of the capture, grouped by code for the Findings view and by frame for
// the detail tree and the filter. The decoder's findings are only counted (frame
// numbers): decoding the frame again gives them back. Later stages' findings (the
// engine's, the container's) cannot be recomputed from one frame, so they are kept.

import { FINDING_SEVERITY, SEVERITY_RANK, worse, type Finding, type FindingCode, type Severity } from '../../dissect/findings.js';
import { GrowableArray } from '../../store/columns.js';
import { KeptFindings, type PackedFindings } from '../../store/findings.js';

/** An occurrence of a code: its frame, and the kept finding (-1: a decoder finding). */
export interface FindingGroup {
  readonly code: FindingCode;
  readonly severity: Severity;
  readonly frames: GrowableArray<Uint32Array>;
  readonly kept: GrowableArray<Int32Array>;
}

export interface Occurrence {
  readonly frame: number;
  /** Undefined for a decoder finding: it is on the frame once decoded. */
  readonly finding: Finding | undefined;
}

export type SeverityCounts = Record<Severity, number>;

export class FindingsStore {
  private readonly groups = new Map<FindingCode, FindingGroup>();
  /** Kept findings, numbered in arrival order (--ring renumbers them: see dropBefore). */
  private readonly kept = new KeptFindings();
  /** Findings of the frames kept (frames before `floor` were dropped by --ring, and theirs with them). */
  readonly counts: SeverityCounts = { error: 0, warning: 0, info: 0 };
  /** The most severe finding seen, dropped or not. */
  worst: Severity | undefined;
  private floor = 1;

  /** @param onFinding told of each finding, e.g. to mark its frame in the index. */
  constructor(private readonly onFinding: (frame: number, severity: Severity, kept: boolean) => void = () => undefined) {}

  /** A finding decoding frame `frame` again reproduces. */
  addDecoded(code: FindingCode, frame: number): void {
    this.worst = worse(this.worst, FINDING_SEVERITY[code]);
    if (this.dropped(frame)) return;
    this.count(code, frame, -1);
    this.onFinding(frame, FINDING_SEVERITY[code], false);
  }

  /** Findings of a later stage: kept, and attached to their frames whenever those are decoded. */
  addKept(findings: PackedFindings): void {
    const first = this.kept.add(findings);
    for (let id = first; id < this.kept.length; id++) {
      const { code, severity, frame } = this.kept.key(id);
      this.worst = worse(this.worst, severity);
      // Kept until the next dropBefore, but not counted, shown or listed.
      if (this.dropped(frame)) continue;
      this.count(code, frame, id);
      this.onFinding(frame, severity, true);
    }
  }

  /** The kept findings attached to frame n, in arrival order. */
  keptOn(n: number): Finding[] {
    return this.dropped(n) ? [] : this.kept.on(n);
  }

  /** Forgets the findings of frames before n (those about the whole capture, frame 0, stay). */
  dropBefore(n: number): void {
    if (n <= this.floor) return;
    this.floor = n;
    const moved = this.kept.compact((id) => !this.dropped(this.kept.key(id).frame));
    for (const group of [...this.groups.values()]) {
      const keep = Uint8Array.from(group.frames.view(), (frame) => (this.dropped(frame) ? 0 : 1));
      this.counts[group.severity] -= keep.length - keep.reduce((a, b) => a + b, 0);
      group.frames.compact((i) => keep[i] === 1);
      group.kept.compact((i) => keep[i] === 1);
      const ids = group.kept.array();
      for (let i = 0; i < group.kept.length; i++) if (ids[i]! >= 0) ids[i] = moved[ids[i]!]!;
      if (group.frames.length === 0) this.groups.delete(group.code);
    }
  }

  /** Groups, most severe first, then by code. */
  sortedGroups(): FindingGroup[] {
    return [...this.groups.values()].sort((a, b) => SEVERITY_RANK[b.severity] - SEVERITY_RANK[a.severity] || a.code.localeCompare(b.code));
  }

  occurrence(group: FindingGroup, i: number): Occurrence {
    const k = group.kept.get(i);
    return { frame: group.frames.get(i), finding: k < 0 ? undefined : this.kept.get(k) };
  }

  get total(): number {
    return this.counts.error + this.counts.warning + this.counts.info;
  }

  private dropped(frame: number): boolean {
    return frame > 0 && frame < this.floor;
  }

  private count(code: FindingCode, frame: number, kept: number): void {
    let group = this.groups.get(code);
    if (group === undefined) {
      group = {
        code, severity: FINDING_SEVERITY[code],
        frames: new GrowableArray((n) => new Uint32Array(n)), kept: new GrowableArray((n) => new Int32Array(n)),
      };
      this.groups.set(code, group);
    }
    group.frames.push(frame);
    group.kept.push(kept);
    this.counts[group.severity]++;
  }
}
