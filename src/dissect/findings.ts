// Expert-info codes and severities, as fixed by ANALYSIS.md section 2. Codes are
// also display-filter fields (`-Y vsock.seq.lost_end`), so this list is what the
// filter compiler accepts as finding names.

export type Severity = 'error' | 'warning' | 'info';

export const SEVERITY_RANK: Readonly<Record<Severity, number>> = { info: 0, warning: 1, error: 2 };

export const FINDING_SEVERITY = {
  // 2.1 container and frame
  'capture.truncated': 'error',
  'frame.snaplen_truncated': 'info',
  'vsock.malformed.short_frame': 'error',
  'vsock.malformed.trans_len': 'error',
  'vsock.malformed.unknown_transport': 'warning',
  'vsock.malformed.payload_len': 'warning',
  'vsock.malformed.addr_mismatch': 'warning',
  'vsock.malformed.op_mismatch': 'warning',
  'vsock.malformed.unknown_type': 'warning',
  'vsock.malformed.unknown_op': 'warning',
  'vsock.malformed.seq_hdr': 'error',
  // Not in ANALYSIS.md (it is silent on them); documented in docs/findings.md.
  'frame.not_vsock': 'warning',
  'capture.if_drops': 'warning',
  // 2.2 connection
  'vsock.conn.midstream': 'info',
  'vsock.conn.refused': 'info',
  'vsock.conn.type_mismatch': 'error',
  'vsock.conn.unexpected_op': 'warning',
  'vsock.conn.after_reset': 'warning',
  'vsock.conn.send_after_shutdown': 'error',
  'vsock.conn.zero_len_rw': 'warning',
  // 2.3 credit
  'vsock.credit.overrun': 'error',
  'vsock.credit.fwd_cnt_regression': 'error',
  'vsock.credit.fwd_cnt_ahead': 'warning',
  // 2.4 SEQPACKET, RFC v4
  'vsock.seq.lost_end': 'error',
  'vsock.seq.cnt_gap': 'error',
  'vsock.seq.lost_begin': 'error',
  'vsock.seq.cnt_mismatch': 'error',
  'vsock.seq.len_mismatch': 'error',
  'vsock.seq.end_len_nonzero': 'warning',
  'vsock.seq.unterminated': 'error',
  'vsock.seq.incomplete': 'info',
  // 2.5 SEQPACKET, merged
  'vsock.seq.eor_without_eom': 'warning',
  'vsock.seq.msg_too_big': 'warning',
  'vsock.seq.flags_on_stream': 'warning',
} as const satisfies Record<string, Severity>;

export type FindingCode = keyof typeof FINDING_SEVERITY;

export const FINDING_CODES = Object.keys(FINDING_SEVERITY) as FindingCode[];
/** A code's position in FINDING_CODES: how packed findings name it. */
export const FINDING_CODE_INDEX: ReadonlyMap<FindingCode, number> = new Map(FINDING_CODES.map((c, i) => [c, i]));

/** The more severe of a severity seen so far (undefined: none) and another. */
export function worse(a: Severity | undefined, b: Severity): Severity {
  return a === undefined || SEVERITY_RANK[b] > SEVERITY_RANK[a] ? b : a;
}

/** The most severe of the finding codes counted (code -> count), undefined when none was. */
export function worstOf(counts: Readonly<Record<string, number>>): Severity | undefined {
  let worst: Severity | undefined;
  for (const [code, n] of Object.entries(counts)) if (n > 0 && isFindingCode(code)) worst = worse(worst, FINDING_SEVERITY[code]);
  return worst;
}

export function isFindingCode(name: string): name is FindingCode {
  return Object.prototype.hasOwnProperty.call(FINDING_SEVERITY, name);
}

/** One expert-info item. `frame` is the 1-based frame it is attached to (0: none, e.g. an empty truncated capture). */
export interface Finding {
  readonly code: FindingCode;
  readonly severity: Severity;
  readonly frame: number;
  readonly message: string;
  readonly conn?: string;
  readonly dir?: string;
  readonly related_frames?: readonly number[];
  readonly details?: Readonly<Record<string, unknown>>;
}

export function finding(
  code: FindingCode,
  frame: number,
  message: string,
  extra?: Pick<Finding, 'conn' | 'dir' | 'related_frames' | 'details'>,
): Finding {
  return { code, severity: FINDING_SEVERITY[code], frame, message, ...extra };
}
