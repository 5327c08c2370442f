// The interactive view, as main.ts (a file) and live.ts run it: runTui (tui.ts) and
// everything it loads, ink and react among them, are one CommonJS script, interactive.cjs
// (bundled by scripts/bundle.mjs), run with V8's code cache (code-cache.ts). Compiling
// those 1.2 MB again on each start was the UI thread's largest cost while a capture loads.

import { fileURLToPath } from 'node:url';
import { requireCached } from './code-cache.js';
import type { TuiStart } from './tui-start.js';

/** What interactive.cjs exports (scripts/bundle.mjs, bundleInteractive). */
export interface InteractiveBundle {
  runTui(start: TuiStart): Promise<number>;
  /** yoga-layout's wasm (ink's layout) compiles asynchronously: ink lays nothing out before. */
  readonly yogaReady: Promise<void>;
}

export async function runInteractiveBundle(start: TuiStart): Promise<number> {
  const bundle = requireCached<InteractiveBundle>(fileURLToPath(new URL('./interactive.cjs', import.meta.url)));
  await bundle.exports.yogaReady;
  const status = await bundle.exports.runTui(start);
  bundle.saveCache();
  return status;
}
