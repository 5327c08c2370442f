// What bench/tui.mjs measures, bundled as the CLI is (scripts/bundle.mjs): the opening
// (a small chunk the CLI imports first: it starts the loader thread), then the session and
// the interactive view (chunks the CLI imports once the loader has started reading).

export { startOpening } from '../dist/ui/data/opening.js';

export const loadSession = () => import('../dist/ui/data/session.js');

export const loadUi = () => import('./tui-ui.mjs');
