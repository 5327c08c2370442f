// The key bindings: one table, which both dispatches keys and is the help overlay.

import type { Action } from './actions.js';

/** What ink tells us about a keypress (the subset of its Key we read). */
export interface KeyInfo {
  readonly upArrow?: boolean;
  readonly downArrow?: boolean;
  readonly leftArrow?: boolean;
  readonly rightArrow?: boolean;
  readonly pageUp?: boolean;
  readonly pageDown?: boolean;
  readonly home?: boolean;
  readonly end?: boolean;
  readonly return?: boolean;
  readonly escape?: boolean;
  readonly tab?: boolean;
  readonly shift?: boolean;
  readonly ctrl?: boolean;
  readonly backspace?: boolean;
  readonly delete?: boolean;
}

export interface KeyBinding {
  /** Key names: a character, or up down left right pageup pagedown home end enter esc tab shift-tab ctrl-X. */
  readonly keys: readonly string[];
  readonly help: string;
  readonly action: Action;
}

export const KEY_BINDINGS: readonly KeyBinding[] = [
  { keys: ['up', 'k'], help: 'previous row of the focused list, tree or hex dump', action: { type: 'move', move: 'up' } },
  { keys: ['down', 'j'], help: 'next row', action: { type: 'move', move: 'down' } },
  { keys: ['pageup', 'ctrl-b'], help: 'previous page', action: { type: 'move', move: 'pageUp' } },
  { keys: ['pagedown', 'ctrl-f'], help: 'next page', action: { type: 'move', move: 'pageDown' } },
  { keys: ['g', 'home'], help: 'first row', action: { type: 'move', move: 'first' } },
  { keys: ['G', 'end'], help: 'last row', action: { type: 'move', move: 'last' } },
  { keys: ['left', 'h'], help: 'collapse a tree node or finding code; scroll a wide list left', action: { type: 'left' } },
  { keys: ['right', 'l'], help: 'expand a tree node or finding code; scroll a wide list right', action: { type: 'right' } },
  { keys: ['tab'], help: 'next pane (packet list, detail tree, hex dump); in Records: the other direction', action: { type: 'tab', back: false } },
  { keys: ['shift-tab'], help: 'previous pane', action: { type: 'tab', back: true } },
  {
    keys: ['enter'], help: 'packet list: to the detail tree; tree: expand or collapse; connection: its records; record or finding: go to its frame',
    action: { type: 'enter' },
  },
  { keys: ['e'], help: "record: go to its SEQ_END, or to the frame that revealed it was lost or dropped", action: { type: 'recordEnd' } },
  { keys: ['d'], help: 'Records: the other direction of the connection', action: { type: 'otherDirection' } },
  { keys: ['n'], help: 'next frame with a finding', action: { type: 'finding', step: 1 } },
  { keys: ['N'], help: 'previous frame with a finding', action: { type: 'finding', step: -1 } },
  { keys: ['p', '1'], help: 'Packets view', action: { type: 'view', view: 'packets' } },
  { keys: ['c', '2'], help: 'Connections view', action: { type: 'view', view: 'conns' } },
  { keys: ['r', '3'], help: "Records view of the selected frame's connection and direction", action: { type: 'view', view: 'records' } },
  { keys: ['f', '4'], help: 'Findings view', action: { type: 'view', view: 'findings' } },
  { keys: ['F'], help: 'live capture: follow the newest frame as frames arrive, or stop following', action: { type: 'follow' } },
  { keys: ['/'], help: 'display filter (the language of read -Y)', action: { type: 'filterOpen' } },
  { keys: ['esc'], help: 'close help; back to the packet list, or from Records to Connections', action: { type: 'escape' } },
  { keys: ['?'], help: 'this help', action: { type: 'help' } },
  { keys: ['q', 'ctrl-c'], help: 'quit', action: { type: 'quit' } },
];

/** Keys of the filter bar while it is open. */
export const FILTER_KEY_HELP: readonly (readonly [string, string])[] = [
  ['enter', 'apply (an empty filter shows every frame)'],
  ['esc', 'close the bar, keeping the filter that was applied'],
  ['backspace', 'delete the last character'],
  ['ctrl-u', 'clear the text'],
];

const BY_NAME = new Map<string, Action>(KEY_BINDINGS.flatMap((b) => b.keys.map((k) => [k, b.action] as const)));

/** The name of a keypress, as the table spells it; undefined for text (several characters). */
export function keyName(input: string, key: KeyInfo): string | undefined {
  if (key.upArrow) return 'up';
  if (key.downArrow) return 'down';
  if (key.leftArrow) return 'left';
  if (key.rightArrow) return 'right';
  if (key.pageUp) return 'pageup';
  if (key.pageDown) return 'pagedown';
  if (key.home) return 'home';
  if (key.end) return 'end';
  if (key.return) return 'enter';
  if (key.escape) return 'esc';
  if (key.tab) return key.shift ? 'shift-tab' : 'tab';
  if (key.backspace || key.delete) return 'backspace';
  if (key.ctrl && input.length === 1) return `ctrl-${input}`;
  return input.length === 1 ? input : undefined;
}

/**
 * The keypresses in what ink reported as one. Keys typed faster than they are read, or
 * pasted, arrive together, and ink then names none of them: a filter and its Enter would
 * be typed into the filter bar as text. Enter, tab, backspace and control keys among them
 * are told apart here; runs of other characters stay together (text for the filter bar).
 * From an escape on (the start of a sequence such as an arrow key's, which cannot be split
 * reliably) the rest is dropped.
 */
export function keypresses(input: string, key: KeyInfo): (readonly [string, KeyInfo])[] {
  if (input.length <= 1 || Object.values(key).some(Boolean)) return [[input, key]];
  const presses: (readonly [string, KeyInfo])[] = [];
  let text = '';
  const press = (named: readonly [string, KeyInfo]) => {
    if (text !== '') presses.push([text, {}]);
    text = '';
    presses.push(named);
  };
  for (const c of input) {
    const code = c.charCodeAt(0);
    if (c === '\x1b') break;
    if (c === '\r' || c === '\n') press(['\r', { return: true }]);
    else if (c === '\t') press(['\t', { tab: true }]);
    else if (c === '\x7f' || c === '\b') press([c, { backspace: true }]);
    // ctrl-a .. ctrl-z, as ink names them: the letter, with ctrl.
    else if (code >= 1 && code <= 26) press([String.fromCharCode(code + 96), { ctrl: true }]);
    else if (code >= 0x20) text += c;
  }
  if (text !== '') presses.push([text, {}]);
  return presses;
}

/**
 * The actions for a keypress (one of keypresses()). Outside the filter bar, several
 * characters at once are taken one by one.
 */
export function keyActions(input: string, key: KeyInfo, editingFilter: boolean): Action[] {
  const name = keyName(input, key);
  if (editingFilter) {
    if (name === 'enter') return [{ type: 'filterApply' }];
    if (name === 'esc') return [{ type: 'filterCancel' }];
    if (name === 'backspace') return [{ type: 'filterErase' }];
    if (name === 'ctrl-u') return [{ type: 'filterClear' }];
    if (name === 'ctrl-c') return [{ type: 'quit' }];
    const text = key.ctrl || name === 'tab' || name === 'shift-tab' ? '' : input;
    return text === '' ? [] : [{ type: 'filterType', text }];
  }
  if (name !== undefined) {
    const action = BY_NAME.get(name);
    return action === undefined ? [] : [action];
  }
  return [...input].flatMap((c) => keyActions(c, {}, false));
}
