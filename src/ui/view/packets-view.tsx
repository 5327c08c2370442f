import type { Session } from '../data/session.js';
import { packetsLayout } from '../state/layout.js';
import type { UiState } from '../state/state.js';
import { DetailPane } from './detail-pane.js';
import { HexPane } from './hex-pane.js';
import { PacketList } from './packet-list.js';

export function PacketsView({ session, state, color }: { session: Session; state: UiState; color: boolean }) {
  const layout = packetsLayout(state.size);
  return (
    <>
      <PacketList session={session} state={state} height={layout.list} color={color} />
      {layout.detail > 0 && <DetailPane session={session} state={state} height={layout.detail} color={color} />}
      {layout.hex > 0 && <HexPane session={session} state={state} height={layout.hex} color={color} />}
    </>
  );
}
