// The help overlay: the key table, as the keys are dispatched.

import { FILTER_KEY_HELP, KEY_BINDINGS } from '../state/keys.js';
import { CONN_LEGEND } from '../../cli/conn-rows.js';

/** Lines of the help overlay (the key table). */
export function helpLines(): string[] {
  const key = (keys: readonly string[]) => keys.join(' ').padEnd(18);
  return [
    ...KEY_BINDINGS.map((b) => `${key(b.keys)} ${b.help}`),
    '',
    'In the filter bar:',
    ...FILTER_KEY_HELP.map(([k, help]) => `${key([k])} ${help}`),
    '',
    `Connections: ${CONN_LEGEND}`,
  ];
}
