import type { Session } from '../data/session.js';
import { connLines } from '../present/conns.js';
import { tableRows } from '../state/layout.js';
import { clampTop } from '../state/moves.js';
import type { UiState } from '../state/state.js';
import { Filler, Line } from './line.js';

/** Every connection instance, as `vsockscope conns` lists them. */
export function ConnsView({ session, state, color }: { session: Session; state: UiState; color: boolean }) {
  const height = tableRows(state.size);
  const count = session.conns.count();
  const top = clampTop(state.conns.top, count, height);
  const { header, lines } = connLines(session.conns.slice(top, top + height), state.size.columns, state.conns.left);
  return (
    <>
      <Line text={header} bold color={color} />
      {lines.map((text, i) => <Line key={i} text={text} inverse={top + i === state.conns.row} color={color} />)}
      {count === 0 && <Line text={session.load.phase === 'loading' ? 'loading...' : 'no connections in this capture'} color={color} dim />}
      <Filler count={height - lines.length - (count === 0 ? 1 : 0)} />
    </>
  );
}
