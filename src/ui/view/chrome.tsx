// The rows around every view: the tab bar, the filter bar and the status bar.

import { Text } from 'ink';
import type { Session } from '../data/session.js';
import { helpLines } from '../present/help.js';
import { filterBarText, statusSegments } from '../present/status.js';
import { fit } from '../present/text.js';
import { bodyRows } from '../state/layout.js';
import type { UiState, View } from '../state/state.js';
import { Filler, Line, severityColor } from './line.js';

const TABS: readonly (readonly [View, string])[] = [['packets', '1 Packets'], ['conns', '2 Connections'], ['records', '3 Records'], ['findings', '4 Findings']];

export function TabBar({ state, color }: { state: UiState; color: boolean }) {
  const hint = '? help  q quit';
  const used = TABS.reduce((n, [, label]) => n + label.length + 2, 0);
  return (
    <Text wrap="truncate">
      {TABS.map(([view, label]) => (
        <Text key={view} inverse={view === state.view && !state.help.open} bold={view === state.view}>{` ${label} `}</Text>
      ))}
      {used + hint.length <= state.size.columns && <Text dimColor={color}>{hint.padStart(state.size.columns - used)}</Text>}
    </Text>
  );
}

export function FilterBar({ session, state, color }: { session: Session; state: UiState; color: boolean }) {
  return <Line text={fit(filterBarText(session, state), state.size.columns)} bold={state.filterDraft !== undefined} color={color} />;
}

export function StatusBar({ session, state, color }: { session: Session; state: UiState; color: boolean }) {
  const width = state.size.columns;
  let room = width;
  const parts = statusSegments(session, state).flatMap((s, i) => {
    const text = (i > 0 ? ' | ' : '') + s.text;
    const shown = text.slice(0, Math.max(0, room));
    room -= shown.length;
    return shown === '' ? [] : [{ ...s, text: shown }];
  });
  return (
    <Text wrap="truncate">
      {parts.map((s, i) => <Text key={i} color={severityColor(s.severity, color)} bold={s.bold}>{s.text}</Text>)}
      {room > 0 ? ' '.repeat(room) : ''}
    </Text>
  );
}

export function HelpOverlay({ state, color }: { state: UiState; color: boolean }) {
  const width = state.size.columns;
  const height = bodyRows(state.size) - 1;
  const lines = helpLines().slice(state.help.top, state.help.top + height);
  return (
    <>
      <Line text={fit('Keys (Esc or ? closes; up/down scroll)', width)} bold color={color} />
      {lines.map((text, i) => <Line key={i} text={fit(text, width)} color={color} />)}
      <Filler count={height - lines.length} />
    </>
  );
}
