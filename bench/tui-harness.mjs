// What bench/tui.mjs measures, bundled as the CLI is (scripts/bundle.mjs): the session
// (in the CLI's main bundle, loaded before anything runs) and the interactive view (a
// chunk the CLI imports once the file starts loading).

export { Session } from '../dist/ui/data/session.js';

export const loadUi = () => import('./tui-ui.mjs');
