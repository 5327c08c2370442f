import type { Session } from '../data/session.js';
import { packetLines, visiblePacketRows } from '../present/packet-list.js';
import type { UiState } from '../state/state.js';
import { Filler, Line } from './line.js';

export interface PacketListProps {
  readonly session: Session;
  readonly state: UiState;
  readonly height: number;
  readonly color: boolean;
}

/** The packet list: a header and only the visible rows, decoded on demand. */
export function PacketList({ session, state, height, color }: PacketListProps) {
  const width = state.size.columns;
  const rows = visiblePacketRows(session, state.listTop, height);
  const { header, lines } = packetLines(rows, width, state.listLeft);
  const focused = state.view === 'packets' && state.pane === 'list';
  const empty = session.rowCount() === 0
    ? session.filter !== undefined ? 'no frame matches the filter (yet)' : session.load.phase === 'loading' ? 'loading...' : 'no frames in this capture'
    : undefined;
  return (
    <>
      <Line text={header} bold={focused} color={color} />
      {lines.map((text, i) => (
        <Line key={i} text={text} severity={rows[i]!.severity} inverse={rows[i]!.frame === state.selected} color={color} />
      ))}
      {empty !== undefined && <Line text={empty} color={color} dim />}
      <Filler count={height - lines.length - (empty !== undefined ? 1 : 0)} />
    </>
  );
}
