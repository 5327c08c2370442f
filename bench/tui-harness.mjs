// What bench/tui.mjs measures, bundled as the CLI is (scripts/bundle.mjs): the session
// (a small chunk the CLI imports first) and the interactive view (a chunk the CLI imports
// once the loader has started reading the file).

export { Session } from '../dist/ui/data/session.js';

export const loadUi = () => import('./tui-ui.mjs');
