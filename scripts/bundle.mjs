// Bundles built modules with their dependencies into a few files: Node then loads a few
// large modules instead of hundreds of small ones (ink alone is ~80), a third of the time.
// `npm run build` bundles the CLI in place (dist/cli/main.cjs, its commands in dispatch.js,
// the interactive view as one script, interactive.cjs, and the TUI's loader worker);
// modules elsewhere in dist/ stay as tsc wrote them, for the tests that import them one by
// one.
//
//   node scripts/bundle.mjs            bundle dist/cli in place

import { build } from 'esbuild';
import { chmodSync, existsSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const dist = new URL('../dist/', import.meta.url).pathname;

/** `source` with `from` replaced by `to`; the build fails when `from` is not there once (the dependency changed: look again). */
function replaceOnce(path, source, from, to) {
  if (source.split(from).length !== 2) throw new Error(`${path}: the text to replace is not there once: ${from.split('\n')[0]}`);
  return source.replace(from, () => to);
}

/**
 * Unicode tables that ink's dependencies build when their modules load, though only text
 * that is not ASCII needs them, and this UI draws none (a capture's bytes are escaped):
 * - string-width's expression of every emoji sequence: 11-14 ms of the UI's thread while the
 *   capture loads, about a tenth of what that thread did then;
 * - an Intl.Segmenter in string-width (twice: wrap-ansi has its own), slice-ansi and
 *   ansi-tokenize. The first one loads ICU's break rules: 10-15 ms. With all four built on
 *   first use, the UI's thread used 13 ms less CPU up to the bench capture's loaded screen,
 *   and its first screen came 33 ms sooner (medians of 10 alternating runs).
 * ansi-tokenize splits every line of every repaint into graphemes: a line of ASCII without a
 * CR is one grapheme a character (UAX #29 joins only CR LF among ASCII), so it is split
 * without the segmenter. The build fails when one of these texts is not there once (the
 * dependency changed: look again).
 */
export const lazyUnicodeTables = {
  name: 'lazy-unicode-tables',
  setup(build) {
    const topStringWidth = new URL('../node_modules/string-width/index.js', import.meta.url).pathname;
    const eagerEmoji = 'const rgiEmojiRegex = /^\\p{RGI_Emoji}$/v;';
    const lazyEmoji = 'let rgiEmojiBuilt; const rgiEmojiRegex = { test: (text) => (rgiEmojiBuilt ??= /^\\p{RGI_Emoji}$/v).test(text) };';
    const lazySegmenter = String.raw`
function vsockscopeLazySegmenter(...options) {
  let segmenter;
  return { segment: (text) => (segmenter ??= new Intl.Segmenter(...options)).segment(text) };
}
`;
    const tokenizeLoop = 'for (const { segment, index } of segmenter.segment(str)) {';
    const asciiGraphemes = String.raw`
function vsockscopeGraphemes(str) {
  if (!/^[\0-\x0c\x0e-\x7f]*$/.test(str)) return segmenter.segment(str);
  const graphemes = new Array(str.length);
  for (let i = 0; i < str.length; i++) graphemes[i] = { segment: str[i], index: i };
  return graphemes;
}
`;
    const tokenizeFile = /[\\/]@alcalzone[\\/]ansi-tokenize[\\/]build[\\/]tokenize\.js$/;
    const segmenterFiles = [/[\\/]string-width[\\/]index\.js$/, /[\\/]slice-ansi[\\/]tokenize-ansi\.js$/, tokenizeFile];
    build.onLoad({ filter: new RegExp(segmenterFiles.map((file) => `(?:${file.source})`).join('|')) }, (args) => {
      let source = readFileSync(args.path, 'utf8');
      if (args.path === topStringWidth) source = replaceOnce(args.path, source, eagerEmoji, lazyEmoji);
      source = replaceOnce(args.path, source, 'new Intl.Segmenter(', 'vsockscopeLazySegmenter(') + lazySegmenter;
      if (tokenizeFile.test(args.path)) {
        source = replaceOnce(args.path, source, tokenizeLoop, 'for (const { segment, index } of vsockscopeGraphemes(str)) {') + asciiGraphemes;
      }
      return { contents: source, loader: 'js' };
    });
  },
};

/**
 * ink turns each screen line into styled cells and back (@alcalzone/ansi-tokenize). For each
 * cell, diffAnsiCodes builds three Sets to find that its style is the one before it, which it
 * nearly always is. That was most of ink's work for the first screen and for the loaded one:
 * without it the bench capture's full load took 13 ms less (medians of 20 alternating runs),
 * and the loaded screen came 7 ms after the pass ended rather than 13. The same style (the
 * same codes in the same order; any other case goes the long way) needs no codes, and no
 * codes make no text.
 */
export const sameStyleFastPath = {
  name: 'same-style-fast-path',
  setup(build) {
    const patches = {
      'diff.js': ['export function diffAnsiCodes(from, to) {\n', '    if (from.length === to.length && from.every((code, i) => code.code === to[i].code && code.endCode === to[i].endCode))\n        return [];\n'],
      'ansiCodes.js': ['export function ansiCodesToString(codes) {\n', '    if (codes.length === 0)\n        return "";\n'],
    };
    build.onLoad({ filter: /[\\/]@alcalzone[\\/]ansi-tokenize[\\/]build[\\/](diff|ansiCodes)\.js$/ }, (args) => {
      const [head, fastPath] = patches[args.path.replace(/^.*[\\/]/, '')];
      return { contents: replaceOnce(args.path, readFileSync(args.path, 'utf8'), head, head + fastPath), loader: 'js' };
    });
  },
};

// What every bundle of the interactive view (interactive.cjs; bench/tui.mjs's harness) leaves out.
// ink loads react-devtools-core only when DEV=true: never in this tool.
const VIEW_EXTERNAL = ['react-devtools-core'];
// yoga-layout (ink's layout engine) reads its inlined wasm with fetch() when there is one:
// that loads Node's undici to decode a data: URL, ~15 ms of the main thread while the
// capture loads. Without fetch it decodes the base64 itself. Nothing else here calls
// fetch (a call would now fail: do not start using it in bundled code).
//
// React and its reconciler pick their production or development build by NODE_ENV at
// run time; fixed here, the development builds (750 KB that Node parsed on every start
// of the interactive view) are left out. A user of the tool is not developing it:
// the development build also checks and allocates far more on every render.
const VIEW_DEFINE = { fetch: 'undefined', 'process.env.NODE_ENV': '"production"' };

/**
 * Bundles `entries` (name -> module) into `outdir`, and next to them the loader worker
 * (bundleWorker): loader-thread.js starts it as ./load-worker.cjs next to itself.
 */
export async function bundle(entries, outdir) {
  // Split chunks are named by content hash: those of an earlier build would stay behind.
  for (const name of existsSync(outdir) ? readdirSync(outdir) : []) if (/-[A-Z0-9]{8}\.js$/.test(name)) rmSync(`${outdir}/${name}`);
  // The worker's ESM entry of earlier builds.
  rmSync(`${outdir}/load-worker.js`, { force: true });
  await bundleWorker(outdir);
  await build({
    entryPoints: entries,
    outdir,
    allowOverwrite: true,
    bundle: true,
    splitting: true,
    format: 'esm',
    platform: 'node',
    target: 'node20',
    external: VIEW_EXTERNAL,
    define: VIEW_DEFINE,
    // CommonJS dependencies (signal-exit, react) call require().
    banner: { js: "import { createRequire as vsockscopeRequire } from 'node:module'; const require = vsockscopeRequire(import.meta.url);" },
    plugins: [lazyUnicodeTables, sameStyleFastPath],
    logLevel: 'warning',
  });
}

/**
 * The loader's worker thread as one CommonJS file, `load-worker.cjs` in `outdir`. A worker
 * that starts from a module graph first sets up Node's ESM loader for itself: as a script
 * it reads the first frame sooner, and the full load of the bench capture ended 13 ms
 * earlier (medians of 12 runs). Its code is also in interactive.cjs (the session can run a
 * loader on the UI's thread, as tests do), 160 KB twice.
 */
export async function bundleWorker(outdir) {
  await build({
    entryPoints: [`${dist}ui/data/load-worker.js`],
    outfile: `${outdir}/load-worker.cjs`,
    bundle: true,
    format: 'cjs',
    platform: 'node',
    target: 'node20',
    logLevel: 'warning',
  });
}

/**
 * A script cannot await at its top level, and two of the interactive view's modules do:
 * - yoga-layout compiles its wasm before its module is done. Here its default export is
 *   bound once that is done, and `yogaReady` says when (src/cli/interactive.ts awaits it
 *   before anything is drawn).
 * - ink loads react-devtools-core and reads its package.json when DEV=true: never in this
 *   tool (the ES module bundle leaves react-devtools-core out too).
 */
export const scriptWithoutTopLevelAwait = {
  name: 'script-without-top-level-await',
  setup(build) {
    build.onLoad({ filter: /[\\/]yoga-layout[\\/]dist[\\/]src[\\/]index\.js$/ }, (args) => {
      const source = readFileSync(args.path, 'utf8');
      const contents = replaceOnce(args.path, source, 'const Yoga = wrapAssembly(await loadYoga());\nexport default Yoga;',
        'let Yoga;\nexport const yogaReady = loadYoga().then((loaded) => { Yoga = wrapAssembly(loaded); });\nexport { Yoga as default };');
      return { contents, loader: 'js' };
    });
    build.onLoad({ filter: /[\\/]ink[\\/]build[\\/]reconciler\.js$/ }, (args) => {
      let source = readFileSync(args.path, 'utf8');
      // From the devtools' import to the next declaration.
      const from = source.indexOf("if (isDev()) {\n    try {\n        await import('./devtools.js');");
      const to = source.indexOf('const diff = ', from);
      if (from < 0 || to < 0) throw new Error(`${args.path}: the devtools' import is not where it was: look again`);
      source = replaceOnce(args.path, source, source.slice(from, to), '');
      source = replaceOnce(args.path, source, 'const packageJson = isDev()\n    ? await loadPackageJson()\n    : { name: undefined, version: undefined };',
        'const packageJson = { name: undefined, version: undefined };');
      return { contents: source, loader: 'js' };
    });
  },
};

/**
 * The interactive view as main.cjs and `live` run it (src/cli/interactive.ts): tui.js and
 * everything it loads, ink and react among them, as one CommonJS script, `interactive.cjs`
 * in `outdir`. Unlike an ES module, a script can be compiled with V8's code cache.
 */
export async function bundleInteractive(outdir) {
  // Caches of earlier builds (code-cache.ts names each by its bundle's size and time).
  for (const name of readdirSync(outdir)) if (/^interactive\.cjs\..*\.v8cache$/.test(name)) rmSync(`${outdir}/${name}`);
  await build({
    stdin: { contents: "export { runTui } from './tui.js';\nexport { yogaReady } from 'yoga-layout';", resolveDir: `${dist}cli`, loader: 'js' },
    outfile: `${outdir}/interactive.cjs`,
    bundle: true,
    format: 'cjs',
    platform: 'node',
    target: 'node20',
    external: VIEW_EXTERNAL,
    define: { ...VIEW_DEFINE, 'import.meta.url': 'vsockscopeModuleUrl' },
    banner: { js: "const vsockscopeModuleUrl = require('node:url').pathToFileURL(__filename).href;" },
    plugins: [lazyUnicodeTables, sameStyleFastPath, scriptWithoutTopLevelAwait],
    logLevel: 'warning',
  });
}

/**
 * The CLI's entry (src/cli/main.ts) as one CommonJS file of its own, `main.cjs`, which
 * loads the commands (dispatch.js, bundled by bundle()) only once it has routed the command
 * line and started the interactive view's loader. Bundled with the commands, the modules
 * both use would be split chunks of their own: `check` then loaded 18 files instead of 11
 * and started 4 ms later. The entry's few modules (the command line's parsing, the loader's
 * start) are in both: main.cjs is 12 KB. As a script rather than an ES module, it runs before
 * Node has set up its ES module loader: the loader's worker was created 4 ms sooner, and
 * `check` took as long.
 *
 * The tsc output, main.js, is replaced by a script that runs main.cjs: the bin was main.js
 * until then, and `npx vsockscope` in a checkout keeps linking the bin it first found (npm's
 * cache of the project), so without it the README's command failed there with "not found".
 */
export async function bundleEntry(outdir) {
  await build({
    entryPoints: [`${dist}cli/main.js`],
    outfile: `${outdir}/main.cjs`,
    bundle: true,
    format: 'cjs',
    platform: 'node',
    target: 'node20',
    external: ['./dispatch.js'],
    // loader-thread.ts finds load-worker.cjs next to itself by its module's URL.
    define: { 'import.meta.url': 'vsockscopeModuleUrl' },
    banner: { js: "const vsockscopeModuleUrl = require('node:url').pathToFileURL(__filename).href;" },
    logLevel: 'warning',
  });
  writeFileSync(`${outdir}/main.js`, "#!/usr/bin/env node\n// The bin of earlier versions (scripts/bundle.mjs, bundleEntry).\nimport './main.cjs';\n");
  for (const bin of ['main.cjs', 'main.js']) chmodSync(`${outdir}/${bin}`, 0o755);
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  // Next to loader-thread.js as tsc wrote it too: tests start the worker from there.
  await bundleWorker(`${dist}ui/data`);
  await bundle({ dispatch: `${dist}cli/dispatch.js` }, `${dist}cli`);
  await bundleInteractive(`${dist}cli`);
  await bundleEntry(`${dist}cli`);
}
