// The Connections view: the table `vsockscope conns` prints.

import type { ConnSummary } from '../../reassembly/index.js';
import { CONN_HEADER, connCells } from '../../cli/conn-rows.js';
import { table } from '../../cli/table.js';
import { fit } from './text.js';

/** Header and rows top..top+height of the table, laid out over the rows shown. */
export function connLines(conns: readonly ConnSummary[], top: number, height: number, width: number, left: number): { header: string; lines: string[] } {
  const [header, ...lines] = table(CONN_HEADER, conns.slice(top, top + height).map(connCells));
  return { header: fit(header!, width, left), lines: lines.map((l) => fit(l, width, left)) };
}
