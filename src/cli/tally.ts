// The summary's finding counts: the engine counts its own findings and the decoder's;
// the container's (a cut record, interface drops) are added here.

import { SEVERITY_RANK, type Finding, type Severity } from '../dissect/findings.js';
import type { EngineSummary } from '../reassembly/index.js';

export class FindingTally {
  private readonly containerCounts = new Map<string, number>();

  container(f: Finding): void {
    this.containerCounts.set(f.code, (this.containerCounts.get(f.code) ?? 0) + 1);
  }

  summary(engine: EngineSummary): EngineSummary {
    const anomalies = { ...engine.anomalies };
    for (const [code, n] of this.containerCounts) anomalies[code] = (anomalies[code] ?? 0) + n;
    return { ...engine, anomalies };
  }
}

export function severityAtLeast(severity: Severity | undefined, threshold: Severity): boolean {
  return severity !== undefined && SEVERITY_RANK[severity] >= SEVERITY_RANK[threshold];
}
