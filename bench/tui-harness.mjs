// What bench/tui.mjs measures headlessly (keys, memory, the filter), bundled with the CLI's
// plugins (scripts/bundle.mjs) as ES modules: the opening (it starts the loader thread),
// then the session and the interactive view, loaded as tui.ts loads them. The CLI runs the
// view as one script with V8's code cache (src/cli/interactive.ts); that changes its start,
// which bench/tui.mjs times on the real binary, not what is measured here.

export { startOpening } from '../dist/ui/data/opening.js';

export const loadSession = () => import('../dist/ui/data/session.js');

export const loadUi = () => import('./tui-ui.mjs');
