// `read -Y` with a filter that tests for findings, on a file: a first pass collects
// every engine finding by frame, so that the second pass can attach to each frame the
// findings that only later frames decide (a lost SEQ_END, an orphan run's length).
// Like tshark -2; a stream cannot be read twice, so there the single pass stands.

import type { Finding } from '../dissect/findings.js';
import { Engine, type EngineOptions } from '../reassembly/index.js';
import { Pipeline } from './pipeline.js';

export async function engineFindingsByFrame(path: string, options: EngineOptions): Promise<Map<number, Finding[]>> {
  const byFrame = new Map<number, Finding[]>();
  const engine = new Engine((event) => {
    if (event.type !== 'anomaly') return;
    const f = event.finding;
    const list = byFrame.get(f.frame);
    if (list === undefined) byFrame.set(f.frame, [f]);
    else list.push(f);
  }, { ...options, records: false, conns: false });
  // Damage ends this pass where it ends the second one, which reports it.
  await new Pipeline({ frame: () => undefined }, engine).run(path);
  return byFrame;
}
