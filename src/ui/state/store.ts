// The UI store: holds the state, applies actions through the reducer, and tells
// subscribers (the React tree, through useSyncExternalStore) when it changed.

import type { Session } from '../data/session.js';
import type { Action } from './actions.js';
import { keyActions, keypresses, type KeyInfo } from './keys.js';
import type { Size } from './layout.js';
import { reduce } from './reduce.js';
import { initialState, type UiState } from './state.js';

export class UiStore {
  private state: UiState;
  private readonly listeners = new Set<() => void>();
  private readonly unsubscribe: () => void;

  constructor(readonly session: Session, size: Size) {
    this.state = reduce(initialState(size, session.live), { type: 'sync' }, session);
    this.unsubscribe = session.subscribe(() => this.dispatch({ type: 'sync' }));
  }

  readonly getState = (): UiState => this.state;

  readonly subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  readonly dispatch = (action: Action): void => {
    const next = reduce(this.state, action, this.session);
    if (next === this.state) return;
    this.state = next;
    for (const listener of this.listeners) listener();
  };

  /** A keypress, as ink reports it (possibly several: see keypresses()). Each is read in the state the ones before it left. */
  readonly key = (input: string, key: KeyInfo): void => {
    for (const [text, info] of keypresses(input, key)) {
      for (const action of keyActions(text, info, this.state.filterDraft !== undefined)) this.dispatch(action);
    }
  };

  dispose(): void {
    this.unsubscribe();
    this.listeners.clear();
  }
}
