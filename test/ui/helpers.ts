// Shared by the UI tests: sessions on real files, keys as ink reports them, and a
// capture whose payload is full of terminal escape sequences.

import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildCapture } from '../../src/dissect/container/writer.js';
import { encodeFrame } from '../../src/dissect/encode.js';
import { OP, TYPE_STREAM } from '../../src/dissect/fields.js';
import type { SourceSpec } from '../../src/source/byte-source.js';
import { Session } from '../../src/ui/data/session.js';
import type { KeyInfo } from '../../src/ui/state/keys.js';
import type { Size } from '../../src/ui/state/layout.js';
import { UiStore } from '../../src/ui/state/store.js';
import { CAPTURES_DIR } from '../helpers/captures.js';
import { GATED_WRITER } from '../helpers/live-run.js';

export const LOST_END = `${CAPTURES_DIR}synth/lost-end.pcap`;
export const SCREEN: Size = { columns: 80, rows: 24 };

export async function loaded(path: string): Promise<Session> {
  const session = await Session.open(path);
  await session.whenLoaded();
  return session;
}

export async function loadedStore(path: string, size: Size = SCREEN): Promise<UiStore> {
  return new UiStore(await loaded(path), size);
}

/** A key by the name the help lists, as ink's useInput hands it over: [input, key]. */
export function inkKey(name: string): [string, KeyInfo] {
  const special: Record<string, KeyInfo> = {
    up: { upArrow: true }, down: { downArrow: true }, left: { leftArrow: true }, right: { rightArrow: true },
    pageup: { pageUp: true }, pagedown: { pageDown: true }, home: { home: true }, end: { end: true },
    enter: { return: true }, esc: { escape: true }, tab: { tab: true }, 'shift-tab': { tab: true, shift: true },
    backspace: { backspace: true },
  };
  if (special[name] !== undefined) return ['', special[name]!];
  if (name.startsWith('ctrl-')) return [name.slice(5), { ctrl: true }];
  return [name, {}];
}

export function press(store: UiStore, ...names: string[]): void {
  for (const name of names) store.key(...inkKey(name));
}

/** Escape sequences that would retitle the window, clear the screen, recolour and move the cursor. */
export const HOSTILE_PAYLOAD = '\x1b]0;PWNED\x07\x1b[2J\x1b[H\x1b[31mRED\x9b1;1H\r\nline2\x00\x7f';

/** A STREAM connection whose third frame carries HOSTILE_PAYLOAD (as bytes, one per character). */
export function writeHostileCapture(): string {
  const a = { src_cid: 3, src_port: 1025, dst_cid: 2, dst_port: 5000 };
  const b = { src_cid: 2, src_port: 5000, dst_cid: 3, dst_port: 1025 };
  const common = { type: TYPE_STREAM, flags: 0, buf_alloc: 65536, fwd_cnt: 0 };
  const payload = Uint8Array.from(HOSTILE_PAYLOAD, (c) => c.charCodeAt(0));
  const frames = [
    encodeFrame({ virtio: { ...a, ...common, op: OP.REQUEST } }),
    encodeFrame({ virtio: { ...b, ...common, op: OP.RESPONSE } }),
    encodeFrame({ virtio: { ...a, ...common, op: OP.RW }, payload }),
  ];
  const bytes = buildCapture('pcap', frames.map((data, i) => ({ tsSec: 1_700_000_000, tsNsec: i * 1000, data })));
  const path = join(mkdtempSync(join(tmpdir(), 'vsockscope-ui-')), 'hostile.pcap');
  writeFileSync(path, bytes);
  return path;
}

/** The gated writer (test/helpers/gated-writer.mjs) as a capture command: LOST_END on its stdout, in pieces split at `splits`. */
export function gatedCapture(gates: string, splits: readonly number[], file = LOST_END): SourceSpec {
  return { kind: 'command', argv: [process.execPath, GATED_WRITER, file, '-', gates, ...splits.map(String)], iface: undefined, label: 'gated-writer' };
}

/** Resolves once `test` holds of the session (checked on every change); rejects after `ms`. */
export function until(session: Session, what: string, test: () => boolean, ms = 10_000): Promise<void> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      stop();
      reject(new Error(`timed out waiting for ${what}`));
    }, ms);
    const check = () => {
      if (!test()) return;
      stop();
      resolve();
    };
    const unsubscribe = session.subscribe(check);
    const stop = () => {
      clearTimeout(timer);
      unsubscribe();
    };
    check();
  });
}
