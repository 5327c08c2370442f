// The Connections view: the table `vsockscope conns` prints.

import type { ConnSummary } from '../../reassembly/index.js';
import { CONN_HEADER, connCells } from '../../cli/conn-rows.js';
import { table } from '../../cli/table.js';
import { fit } from './text.js';

/** Header and the rows shown of the table, laid out over them. */
export function connLines(shown: readonly ConnSummary[], width: number, left: number): { header: string; lines: string[] } {
  const [header, ...lines] = table(CONN_HEADER, shown.map(connCells));
  return { header: fit(header!, width, left), lines: lines.map((l) => fit(l, width, left)) };
}
