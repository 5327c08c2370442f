import { describe, expect, it } from 'vitest';
import { compileFilter, describeFilterError, FilterError } from '../../src/dissect/filter/index.js';

function errorOf(text: string): FilterError {
  try {
    compileFilter(text);
  } catch (e) {
    expect(e).toBeInstanceOf(FilterError);
    return e as FilterError;
  }
  throw new Error(`'${text}' compiled`);
}

// [filter, position of the offending token, part of the message]
type Case = [string, number, RegExp];

function check(cases: Case[]): void {
  it.each(cases)('%s -> position %d', (text, position, message) => {
    const e = errorOf(text);
    expect(e.position).toBe(position);
    expect(e.message).toMatch(message);
  });
}

describe('unknown fields', () => {
  check([
    ['vsock.src_cdi == 1', 0, /unknown field 'vsock\.src_cdi' \(did you mean 'vsock\.src_cid'\?\)/],
    ['vsock && vsock.virtio.opp == 1', 9, /unknown field 'vsock\.virtio\.opp' \(did you mean 'vsock\.virtio\.op'\?\)/],
    ['vsock.virtio.src_prot == 1025', 0, /did you mean 'vsock\.virtio\.src_port'/],
    ['vsock.seq.lost_ned', 0, /did you mean 'vsock\.seq\.lost_end'/],
    ['vsock.virtio.flags.eon', 0, /did you mean 'vsock\.virtio\.flags\.eom'/],
    ['vsok', 0, /did you mean 'vsock'/],
    ['tcp.port == 80', 0, /^unknown field 'tcp\.port'$/],
    ['!(vsock || frobnicate)', 11, /^unknown field 'frobnicate'$/],
    ['vsock.', 0, /unknown field 'vsock\.'/],
  ]);
});

describe('enum names', () => {
  check([
    ['vsock.virtio.op == SEQ_ENDD', 19, /unknown value 'SEQ_ENDD' for vsock\.virtio\.op \(did you mean 'SEQ_END'\?\); valid: INVALID, REQUEST, RESPONSE, RST, SHUTDOWN, RW, CREDIT_UPDATE, CREDIT_REQUEST, SEQ_BEGIN, SEQ_END$/],
    ['vsock.virtio.op == seq_end', 19, /unknown value 'seq_end' for vsock\.virtio\.op/],
    ['vsock.op == RW', 12, /unknown value 'RW' for vsock\.op; valid: UNKNOWN, CONNECT, DISCONNECT, CONTROL, PAYLOAD$/],
    ['vsock.virtio.type == DGRAM', 21, /valid: STREAM, SEQPACKET/],
    ['vsock.trans==virtio', 13, /unknown value 'virtio' for vsock\.trans.*valid: UNKNOWN, NO_INFO, VIRTIO/],
    ['vsock.src_port == RW', 18, /vsock\.src_port has no named values/],
    ['vsock.virtio.flags & EOM', 21, /vsock\.virtio\.flags has no named values/],
    ['vsock.src_cid == vsock.virtio.src_cid', 17, /comparing two fields is not supported/],
    ['frame.time_epoch > RW', 19, /frame\.time_epoch takes seconds/],
  ]);
});

describe('operators on test-only names', () => {
  check([
    ['vsock.virtio.flags.eom == 1', 23, /vsock\.virtio\.flags\.eom is a flag bit: test it on its own.*'==' does not apply/],
    ['vsock.virtio.flags.shutdown_send ne 0', 33, /is a flag bit.*'ne' does not apply/],
    ['vsock.virtio eq 1', 13, /vsock\.virtio is a protocol/],
    ['vsock.seq.lost_end != 0', 19, /vsock\.seq\.lost_end is a finding/],
    ['vsock.seq.lost_end & 1', 19, /is a finding.*'&' does not apply/],
    ['frame.time_epoch & 1', 17, /'&' needs an integer field/],
  ]);
});

describe('numbers', () => {
  check([
    ['vsock.op == 65536', 12, /65536 is out of range for vsock\.op \(u16: 0 to 65535\)/],
    ['vsock.src_port > 0x100000000', 17, /out of range for vsock\.src_port \(u32/],
    ['vsock.src_cid == 18446744073709551616', 17, /out of range for vsock\.src_cid \(u64/],
    ['vsock.src_cid == 0x10000000000000000', 17, /out of range/],
    ['vsock.seq.msg_len & 0x100000000', 20, /out of range/],
    ['frame.len > 4294967296', 12, /out of range/],
    ['frame.time_epoch > 9007199254740992', 19, /out of range/],
    ['vsock.src_port == 1.5', 18, /vsock\.src_port holds whole numbers; '1\.5' is not one/],
    ['vsock.src_port == 12ab', 18, /malformed number '12ab'/],
    ['vsock.src_port == 0x', 18, /malformed number '0x'/],
    ['vsock.src_port == 0xfg', 18, /malformed number '0xfg'/],
    ['frame.time_epoch > 1.2.3', 19, /malformed number '1\.2\.3'/],
    ['vsock.src_cid == -1', 17, /unexpected character '-'/],
  ]);

  it('accepts the edges of each range', () => {
    for (const ok of ['vsock.op == 65535', 'vsock.src_port == 0xffffffff', 'vsock.src_cid == 18446744073709551615', 'vsock.src_cid == 0', 'frame.time_epoch > 0.5']) {
      expect(() => compileFilter(ok), ok).not.toThrow();
    }
  });
});

describe('structure', () => {
  check([
    ['', 0, /^empty filter$/],
    ['   \t ', 0, /^empty filter$/],
    ['(vsock', 0, /unbalanced parentheses: '\(' is never closed/],
    ['((vsock) && vsock', 0, /unbalanced parentheses: '\(' is never closed/],
    ['vsock && (vsock || vsock.seq', 9, /unbalanced parentheses: '\(' is never closed/],
    ['vsock)', 5, /unbalanced parentheses: '\)' without a matching '\('/],
    ['(vsock))', 7, /unbalanced parentheses: '\)' without/],
    [')', 0, /expected a field name or '\(', found '\)'/],
    ['()', 1, /expected a field name or '\(', found '\)'/],
    ['vsock vsock.seq', 6, /unexpected 'vsock\.seq' after a complete expression/],
    ['vsock.src_cid == 3 4', 19, /unexpected '4' after a complete expression/],
    ['vsock.src_cid == 3 == 4', 19, /unexpected '==' after a complete expression/],
    ['(vsock vsock.seq)', 7, /expected '\)', '&&' or '\|\|', found 'vsock\.seq'/],
    ['vsock ==', 8, /unexpected end of filter: expected a value after '=='/],
    ['vsock.src_port ge', 17, /unexpected end of filter: expected a value after 'ge'/],
    ['vsock &&', 8, /unexpected end of filter: expected a field name/],
    ['vsock or ', 9, /unexpected end of filter/],
    ['!', 1, /unexpected end of filter/],
    ['(', 1, /unexpected end of filter/],
    ['vsock.virtio.flags &', 20, /unexpected end of filter: expected a value after '&'/],
    ['== 3', 0, /expected a field name or '\(', found '=='/],
    ['1 == vsock.src_cid', 0, /expected a field name or '\(', found '1'/],
    ['vsock.src_cid == ==', 17, /expected a number or a value name after '==', found '=='/],
    ['vsock.src_cid == (3)', 17, /expected a number or a value name after '==', found '\('/],
    ['vsock && || vsock', 9, /expected a field name or '\(', found '\|\|'/],
    ['vsock.src_port = 3', 15, /unknown operator '=' \(use '=='/],
    ['vsock | vsock.seq', 6, /unknown operator '\|' \(use '\|\|'/],
    ['vsock.src_port == "3"', 18, /unexpected character '"'/],
    ['vsock ∧ vsock', 6, /unexpected character '∧'/],
    ['vsock.src_port == 3\u0000', 19, /unexpected character U\+0000/],
    ['('.repeat(201) + 'vsock' + ')'.repeat(201), 200, /nested more than 200 deep/],
  ]);

  it('a syntax error is reported before an unknown name', () => {
    expect(errorOf('nosuch && (vsock').position).toBe(10);
  });

  it('the leftmost semantic error wins', () => {
    expect(errorOf('vsock.op == RW || nosuch').position).toBe(12);
  });
});

describe('describeFilterError', () => {
  const describeOf = (text: string): string => describeFilterError(text, errorOf(text));

  it('gives message, position, token and a marked copy of the filter on one line', () => {
    const s = describeOf('vsock.virtio.op == SEQ_ENDD');
    expect(s).toBe(
      "display filter error: unknown value 'SEQ_ENDD' for vsock.virtio.op (did you mean 'SEQ_END'?); valid: INVALID, REQUEST, RESPONSE, RST, SHUTDOWN, RW, CREDIT_UPDATE, CREDIT_REQUEST, SEQ_BEGIN, SEQ_END"
      + " [at position 19 near 'SEQ_ENDD': vsock.virtio.op == >>>SEQ_ENDD]",
    );
  });

  it('names the end of the filter for unexpected ends', () => {
    expect(describeOf('vsock ==')).toBe(
      "display filter error: unexpected end of filter: expected a value after '==' [at the end of the filter (position 8): vsock ==>>>]",
    );
  });

  it('marks one-character tokens', () => {
    expect(describeOf('vsock)')).toBe(
      "display filter error: unbalanced parentheses: ')' without a matching '(' [at position 5 near ')': vsock>>>)]",
    );
  });

  it('stays on one line whatever the filter holds', () => {
    for (const text of ['vsock\n== 3', 'vsock\r\n&& nosuch', 'vsock.src_port == 3\u2028', 'vsock\u0085)', '\n', 'vsock.op == 1\n\n\n)']) {
      const s = describeOf(text);
      expect(s, JSON.stringify(text)).not.toMatch(/[\r\n\u0085\u2028\u2029]/);
      expect(s).toMatch(/^display filter error: /);
    }
    expect(describeOf('vsock\n== 3')).toContain('vsock\\u000a>>>== 3');
  });

  it('says just that for an empty filter', () => {
    expect(describeOf('')).toBe('display filter error: empty filter');
  });
});
