// scripts/bundle.mjs makes string-width's emoji expression lazy (lazyEmojiRegex): the
// bundled module must still measure what it measured, emoji included.

import { build } from 'esbuild';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
// @ts-expect-error: a build script, not typed
import { lazyEmojiRegex } from '../../scripts/bundle.mjs';

describe('the bundle', () => {
  it("builds string-width's emoji expression on first use, and measures as before", async () => {
    const out = await build({
      stdin: { contents: "export { default } from 'string-width';", resolveDir: new URL('../..', import.meta.url).pathname },
      bundle: true, format: 'esm', platform: 'node', target: 'node20', write: false, plugins: [lazyEmojiRegex], logLevel: 'silent',
    });
    const code = out.outputFiles[0]!.text;
    expect(code).toContain('rgiEmojiBuilt ??=');
    const file = join(mkdtempSync(join(tmpdir(), 'vsockscope-bundle-')), 'string-width.mjs');
    writeFileSync(file, code);
    const { default: stringWidth } = (await import(pathToFileURL(file).href)) as { default: (text: string) => number };
    // By hand: emoji are two columns, a box-drawing line and ASCII one each, a combining mark none.
    expect(stringWidth('\u{1F600}')).toBe(2);
    expect(stringWidth('\u{1F468}\u200D\u{1F469}\u200D\u{1F467}')).toBe(2);
    expect(stringWidth('a\u2502b')).toBe(3);
    expect(stringWidth('e\u0301')).toBe(1);
    expect(stringWidth('vsock')).toBe(5);
  });
});
