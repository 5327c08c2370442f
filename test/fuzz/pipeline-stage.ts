// Reader, decoder and engine as `check` wires them, with every frame, finding, record and
// connection rendered the ways the CLI prints them: summary line, -V tree, -x hex dump,
// read --json, check lines and NDJSON, the records and conns tables.

import { anomalyJson, connJson, recordJson, summaryJson } from '../../src/cli/analysis-json.js';
import { analyze, type AnalysisResult } from '../../src/cli/analysis.js';
import { findingLine, summaryLines } from '../../src/cli/check.js';
import { connCells } from '../../src/cli/conn-rows.js';
import { recordCells } from '../../src/cli/record-rows.js';
import type { DecodedFrame } from '../../src/dissect/decode.js';
import type { Finding } from '../../src/dissect/findings.js';
import { frameJson } from '../../src/dissect/present/frame-json.js';
import { hexdumpLines } from '../../src/dissect/present/hexdump.js';
import { summaryLine } from '../../src/dissect/present/summary.js';
import type { Timestamp } from '../../src/dissect/present/time.js';
import { frameTree, renderTree } from '../../src/dissect/present/tree.js';
import { expectFiltersCalm } from './filters.js';
import { errorText, expectJsonLine, expectOutcome, expectSafeLine, FuzzViolation, violation } from './verdict.js';
import type { Walk } from './walker.js';
import { bytesOf } from '../../src/dissect/container/record-bytes.js';

const STAGE = 'pipeline';

/** Why a frame's virtio header may be missing: it is not vsock, malformed, or cut by the snaplen. */
const EXPLAINS_UNDECODED = /^(frame\.not_vsock|frame\.snaplen_truncated|vsock\.malformed\..*)$/;

/** A frame is decoded (its virtio header read) or carries the finding that says why not. */
function accountedFor(frame: DecodedFrame): boolean {
  return frame.virtio !== undefined || frame.expert.some((f) => EXPLAINS_UNDECODED.test(f.code));
}

function renderFrame(frame: DecodedFrame, origin: Timestamp): void {
  const v4 = frame.number % 2 === 0;
  expectSafeLine(STAGE, summaryLine(frame, origin, v4));
  for (const line of renderTree(frameTree(frame, v4))) expectSafeLine(STAGE, line);
  for (const line of hexdumpLines(bytesOf(frame).subarray(frame.payloadOffset))) expectSafeLine(STAGE, line);
  expectJsonLine(STAGE, frameJson(frame));
  expectFiltersCalm(STAGE, frame);
}

/** What identifies a frame however it was read: its numbers and its bytes. */
export function fingerprint(frame: DecodedFrame): string {
  return `${frame.tsSec}.${frame.tsNsec} ${frame.len}/${frame.capLen} link ${frame.linkType} ${Buffer.from(bytesOf(frame)).toString('base64')}`;
}

export interface PipelineRun {
  readonly result: AnalysisResult;
  /** fingerprint() of each frame, in order. */
  readonly frames: readonly string[];
}

export async function pipelineStage(path: string, walk: Walk): Promise<PipelineRun> {
  const frames: string[] = [];
  let origin: Timestamp | undefined;
  let decoded = 0;
  let malformed = 0;
  const findings: Finding[] = [];
  let result: AnalysisResult;
  try {
    result = await analyze(path, {}, {
      frame: (frame) => {
        origin ??= frame;
        if (!accountedFor(frame)) violation(STAGE, `frame ${frame.number} was neither decoded nor reported malformed`);
        if (frame.expert.some((f) => f.code.startsWith('vsock.malformed.'))) malformed++;
        decoded++;
        frames.push(fingerprint(frame));
        renderFrame(frame, origin);
      },
      finding: (f) => {
        findings.push(f);
        expectSafeLine(STAGE, findingLine(f));
        expectJsonLine(STAGE, anomalyJson(f));
      },
      record: (r) => {
        expectJsonLine(STAGE, recordJson(r));
        for (const cell of recordCells(r)) expectSafeLine(STAGE, cell);
      },
      conn: (c) => {
        expectJsonLine(STAGE, connJson(c));
        for (const cell of connCells(c)) expectSafeLine(STAGE, cell);
      },
    });
  } catch (e) {
    if (e instanceof FuzzViolation) throw e;
    violation(STAGE, `an exception escaped: ${errorText(e)}`);
  }
  expectOutcome(STAGE, walk, result);
  const s = result.summary;
  if (s.frames !== decoded) violation(STAGE, `summary counts ${s.frames} frames, ${decoded} were decoded`);
  if (s.malformed !== malformed) violation(STAGE, `summary counts ${s.malformed} malformed frames, ${malformed} carry a vsock.malformed finding`);
  const truncatedFindings = findings.filter((f) => f.code === 'capture.truncated').length;
  if (truncatedFindings !== (result.truncated !== undefined ? 1 : 0)) {
    violation(STAGE, `${truncatedFindings} capture.truncated findings for ${result.truncated !== undefined ? 'a cut' : 'an uncut'} capture`);
  }
  expectJsonLine(STAGE, summaryJson(s));
  for (const line of summaryLines(s)) expectSafeLine(STAGE, line);
  return { result, frames };
}
