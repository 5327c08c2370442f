// scripts/bundle.mjs changes some of ink's dependencies for speed: their Unicode tables
// (string-width's emoji expression, the Intl.Segmenter of four modules) are built on first
// use, and ansi-tokenize splits ASCII without one (lazyUnicodeTables); ansi-tokenize skips
// the work for a cell styled as the one before it (sameStyleFastPath). The bundled modules
// must still give what they gave. For the interactive view's script, yoga-layout and ink
// lose their top-level awaits (scriptWithoutTopLevelAwait): yoga is then ready once
// `yogaReady` is.

import { build } from 'esbuild';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
// @ts-expect-error: a build script, not typed
import { lazyUnicodeTables, sameStyleFastPath, scriptWithoutTopLevelAwait } from '../../scripts/bundle.mjs';

const root = new URL('../..', import.meta.url).pathname;

/** `contents` bundled as an ES module with `plugins`, written to a temporary file and imported. */
async function bundled<T>(contents: string, plugins: unknown[], name: string): Promise<{ code: string; module: T }> {
  const out = await build({
    stdin: { contents, resolveDir: root },
    bundle: true, format: 'esm', platform: 'node', target: 'node20', write: false, plugins: plugins as never, logLevel: 'silent',
  });
  const code = out.outputFiles[0]!.text;
  const file = join(mkdtempSync(join(tmpdir(), 'vsockscope-bundle-')), `${name}.mjs`);
  writeFileSync(file, code);
  return { code, module: (await import(pathToFileURL(file).href)) as T };
}

interface AnsiTokenize {
  tokenize(text: string): unknown[];
  styledCharsFromTokens(tokens: unknown[]): unknown[];
  styledCharsToString(chars: unknown[]): string;
  diffAnsiCodes(from: unknown[], to: unknown[]): unknown[];
}

describe('the bundle', () => {
  it("builds string-width's emoji expression on first use, and measures as before", async () => {
    const { code, module } = await bundled<{ default: (text: string) => number }>("export { default } from 'string-width';", [lazyUnicodeTables], 'string-width');
    expect(code).toContain('rgiEmojiBuilt ??=');
    const stringWidth = module.default;
    // By hand: emoji are two columns, a box-drawing line and ASCII one each, a combining mark none.
    expect(stringWidth('\u{1F600}')).toBe(2);
    expect(stringWidth('\u{1F468}\u200D\u{1F469}\u200D\u{1F467}')).toBe(2);
    expect(stringWidth('a\u2502b')).toBe(3);
    expect(stringWidth('e\u0301')).toBe(1);
    expect(stringWidth('vsock')).toBe(5);
  });

  it('builds no Intl.Segmenter until text that is not ASCII needs one, and splits text into graphemes as before', async () => {
    const contents = [
      "export { tokenize } from '@alcalzone/ansi-tokenize';",
      "export { default as stringWidth } from 'string-width';",
      "export { default as wrapAnsi } from 'wrap-ansi';",
      "export { default as sliceAnsi } from 'slice-ansi';",
    ].join('\n');
    interface Modules {
      tokenize(text: string): unknown[];
      stringWidth(text: string): number;
      wrapAnsi(text: string, columns: number, options?: object): string;
      sliceAnsi(text: string, from: number, to?: number): string;
    }
    const Segmenter = Intl.Segmenter;
    // Intl's properties are writable; TypeScript's declaration says read-only.
    const intl = Intl as { Segmenter: typeof Segmenter };
    let made = 0;
    intl.Segmenter = class extends Segmenter {
      constructor(...options: ConstructorParameters<typeof Segmenter>) {
        super(...options);
        made++;
      }
    };
    try {
      const lazy = await bundled<Modules>(contents, [lazyUnicodeTables], 'unicode-lazy');
      expect(made).toBe(0);
      const eager = await bundled<Modules>(contents, [], 'unicode-eager');
      // string-width twice (wrap-ansi has its own), slice-ansi and ansi-tokenize.
      expect(made).toBe(4);
      made = 0;
      const esc = '\x1b[';
      const printable = ['No.     Time Source  Destination Type', `${esc}31m  12 0.000001 3:40011 2:5002  SEQ_BEGIN${esc}39m`, ''];
      for (const line of printable) {
        expect(lazy.module.tokenize(line)).toEqual(eager.module.tokenize(line));
        expect(lazy.module.stringWidth(line)).toBe(eager.module.stringWidth(line));
      }
      const controls = `\x1b]8;;https://example.com\x07link\x1b]8;;\x07 after\ttab\x00nul\x7f`;
      expect(lazy.module.tokenize(controls)).toEqual(eager.module.tokenize(controls));
      // What ink does to every line of every repaint: no segmenter for ASCII.
      expect(made).toBe(0);
      // By hand: CR LF is one grapheme (UAX #29), the only pair of ASCII characters that is.
      expect(lazy.module.tokenize('a\r\nb')).toHaveLength(3);
      expect(made).toBe(1);
      for (const line of [...printable, controls, 'a\r\nb', 'x\ry', 'e\u0301t\u00e9 \u{1F600}', `${esc}1m\u2502 box${esc}22m`]) {
        expect(lazy.module.tokenize(line)).toEqual(eager.module.tokenize(line));
        expect(lazy.module.stringWidth(line)).toBe(eager.module.stringWidth(line));
        expect(lazy.module.wrapAnsi(line, 3, { hard: true })).toBe(eager.module.wrapAnsi(line, 3, { hard: true }));
        expect(lazy.module.sliceAnsi(line, 1, 4)).toBe(eager.module.sliceAnsi(line, 1, 4));
      }
    } finally {
      intl.Segmenter = Segmenter;
    }
  });

  it('turns styled lines into cells and back as ansi-tokenize did, with less work for a style that repeats', async () => {
    const contents = "export { tokenize, styledCharsFromTokens, styledCharsToString, diffAnsiCodes } from '@alcalzone/ansi-tokenize';";
    const fast = await bundled<AnsiTokenize>(contents, [sameStyleFastPath], 'ansi-fast');
    const plain = await bundled<AnsiTokenize>(contents, [], 'ansi-plain');
    expect(fast.code).toContain('from.length === to.length');
    expect(plain.code).not.toContain('from.length === to.length');
    const esc = '\x1b[';
    const lines = [
      'No.     Time Source  Destination Type',
      `${esc}31m  12 0.000001 3:40011 2:5002  SEQ_BEGIN${esc}39m`,
      `${esc}1m${esc}2mbold and dim${esc}22m plain ${esc}7minverse${esc}27m`,
      `${esc}33mye${esc}1mllow bold${esc}39m bold${esc}22m`,
      `${esc}38;5;208morange${esc}39m ${esc}48;2;1;2;3mtruecolour${esc}49m`,
      `\x1b]8;;https://example.com\x07link\x1b]8;;\x07 after`,
      '',
    ];
    for (const line of lines) {
      const cells = fast.module.styledCharsFromTokens(fast.module.tokenize(line));
      expect(fast.module.styledCharsToString(cells)).toBe(plain.module.styledCharsToString(plain.module.styledCharsFromTokens(plain.module.tokenize(line))));
    }
    // By hand: a line with no styles comes back as it was; the same style twice needs no codes.
    expect(fast.module.styledCharsToString(fast.module.styledCharsFromTokens(fast.module.tokenize(lines[0]!)))).toBe(lines[0]);
    const red = fast.module.styledCharsFromTokens(fast.module.tokenize(lines[1]!)) as { styles: unknown[] }[];
    expect(fast.module.diffAnsiCodes(red[0]!.styles, red[1]!.styles)).toEqual([]);
    expect(fast.module.diffAnsiCodes([], red[0]!.styles)).toEqual(plain.module.diffAnsiCodes([], red[0]!.styles));
  });

  it('bundles yoga-layout and ink as a script, with yoga ready once yogaReady is', async () => {
    const out = await build({
      stdin: { contents: "export { default as Yoga, yogaReady } from 'yoga-layout';\nexport { render } from 'ink';", resolveDir: root },
      bundle: true, format: 'cjs', platform: 'node', target: 'node20', write: false, logLevel: 'silent',
      external: ['react-devtools-core'], plugins: [scriptWithoutTopLevelAwait as never],
    });
    const file = join(mkdtempSync(join(tmpdir(), 'vsockscope-bundle-')), 'yoga.cjs');
    writeFileSync(file, out.outputFiles[0]!.text);
    interface YogaNode { setWidth(w: number): void; setHeight(h: number): void; calculateLayout(): void; getComputedWidth(): number; getComputedHeight(): number }
    const bundle = createRequire(import.meta.url)(file) as { Yoga: { Node: { create(): YogaNode } } | undefined; yogaReady: Promise<void>; render: unknown };
    expect(bundle.Yoga).toBeUndefined();
    expect(typeof bundle.render).toBe('function');
    await bundle.yogaReady;
    // By hand: a 12x3 box lays out as 12x3.
    const node = bundle.Yoga!.Node.create();
    node.setWidth(12);
    node.setHeight(3);
    node.calculateLayout();
    expect([node.getComputedWidth(), node.getComputedHeight()]).toEqual([12, 3]);
  });
});
