// Bundles built modules with their dependencies into a few files: Node then loads a few
// large modules instead of hundreds of small ones (ink alone is ~80), a third of the time.
// `npm run build` bundles the CLI in place (dist/cli/main.js, the interactive view as a
// chunk loaded only by it, and the TUI's loader worker next to it); modules elsewhere in
// dist/ stay as tsc wrote them, for the tests that import them one by one.
//
//   node scripts/bundle.mjs            bundle dist/cli/main.js in place

import { build } from 'esbuild';
import { chmodSync, existsSync, readdirSync, rmSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const dist = new URL('../dist/', import.meta.url).pathname;

/**
 * Bundles `entries` (name -> module) into `outdir`. The loader worker must be one of them
 * under the name `load-worker`: loader-thread.js starts it as ./load-worker.js next to itself.
 */
export async function bundle(entries, outdir) {
  // Split chunks are named by content hash: those of an earlier build would stay behind.
  for (const name of existsSync(outdir) ? readdirSync(outdir) : []) if (/-[A-Z0-9]{8}\.js$/.test(name)) rmSync(`${outdir}/${name}`);
  await build({
    entryPoints: { ...entries, 'load-worker': `${dist}ui/data/load-worker.js` },
    outdir,
    allowOverwrite: true,
    bundle: true,
    splitting: true,
    format: 'esm',
    platform: 'node',
    target: 'node20',
    // ink loads react-devtools-core only when DEV=true: never in this tool.
    external: ['react-devtools-core'],
    // yoga-layout (ink's layout engine) reads its inlined wasm with fetch() when there is one:
    // that loads Node's undici to decode a data: URL, ~15 ms of the main thread while the
    // capture loads. Without fetch it decodes the base64 itself. Nothing else here calls
    // fetch (a call would now fail: do not start using it in bundled code).
    //
    // React and its reconciler pick their production or development build by NODE_ENV at
    // run time; fixed here, the development builds (750 KB that Node parsed on every start
    // of the interactive view) are left out. A user of the tool is not developing it:
    // the development build also checks and allocates far more on every render.
    define: { fetch: 'undefined', 'process.env.NODE_ENV': '"production"' },
    // CommonJS dependencies (signal-exit, react) call require().
    banner: { js: "import { createRequire as vsockscopeRequire } from 'node:module'; const require = vsockscopeRequire(import.meta.url);" },
    logLevel: 'warning',
  });
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  await bundle({ main: `${dist}cli/main.js` }, `${dist}cli`);
  chmodSync(`${dist}cli/main.js`, 0o755);
}
