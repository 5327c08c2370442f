// The whole screen: tab bar, the current view (or the help), filter bar, status bar.
// State lives in the UiStore; this only renders it and forwards keys.

import { Box, useApp, useInput, useStdout } from 'ink';
import { useEffect, useSyncExternalStore } from 'react';
import { screenRows } from '../state/layout.js';
import type { UiStore } from '../state/store.js';
import { FilterBar, HelpOverlay, StatusBar, TabBar } from './chrome.js';
import { ConnsView } from './conns-view.js';
import { FindingsView } from './findings-view.js';
import { PacketsView } from './packets-view.js';
import { RecordsView } from './records-view.js';

export interface AppProps {
  readonly store: UiStore;
  /** False under NO_COLOR: severities are then shown by their letter only. */
  readonly color: boolean;
}

export function App({ store, color }: AppProps) {
  const state = useSyncExternalStore(store.subscribe, store.getState);
  const session = store.session;
  const { exit } = useApp();
  const { stdout } = useStdout();
  useInput(store.key);
  useEffect(() => {
    if (state.quit) exit();
  }, [state.quit, exit]);
  useEffect(() => {
    const resized = () => store.dispatch({ type: 'resize', size: { columns: stdout.columns, rows: stdout.rows } });
    stdout.on('resize', resized);
    return () => {
      stdout.off('resize', resized);
    };
  }, [stdout, store]);
  const props = { session, state, color };
  return (
    <Box flexDirection="column" width={state.size.columns} height={screenRows(state.size)}>
      <TabBar state={state} color={color} />
      {state.help.open ? <HelpOverlay state={state} color={color} />
        : state.view === 'packets' ? <PacketsView {...props} />
        : state.view === 'conns' ? <ConnsView {...props} />
        : state.view === 'records' ? <RecordsView {...props} />
        : <FindingsView {...props} />}
      <FilterBar {...props} />
      <StatusBar {...props} />
    </Box>
  );
}
