#!/usr/bin/env node
// Entry point. The command line is routed before the commands' modules load: `vsockscope
// FILE` on a terminal starts the interactive view's loader thread first. Its full load
// waits for that thread, and Node takes about 20 ms to start one; loading the commands
// first started it 20 ms later. The interactive view then loads its own bundle
// (interactive.ts), not the commands'. scripts/bundle.mjs bundles this module on its own,
// as a CommonJS script (main.cjs).

import { writeSync } from 'node:fs';
import { route } from './route.js';
import { startTui, type TuiStart } from './tui-start.js';

/** The interactive view of a file (interactive.ts), which does not load the other commands' modules. */
function interactive(start: TuiStart): Promise<number> {
  return import('./interactive.js').then(({ runInteractiveBundle }) => runInteractiveBundle(start));
}

/** Exits at once: the interactive view's loader, started already, would keep the process alive. */
function internalError(e: unknown): never {
  writeSync(2, `vsockscope: internal error: ${e instanceof Error ? e.message : String(e)}\n`);
  process.exit(2);
}

try {
  const way = route(process.argv.slice(2));
  const run = way.kind === 'interactive'
    ? interactive(startTui(way.input, way.options))
    : import('./dispatch.js').then(({ dispatch }) => dispatch(way));
  // Exit now: a read of a pipe may still be blocked on the thread pool after Ctrl-C.
  run.then((status) => process.exit(status), internalError);
} catch (e) {
  internalError(e);
}
