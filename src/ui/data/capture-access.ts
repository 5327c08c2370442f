// How the UI gets at a capture's bytes again: a regular file (or a file being followed)
// is read in place; anything else (a pipe, stdin, a capture process) only through the
// spool its bytes were copied to as they were read.

import { fstatSync, openSync, statSync } from 'node:fs';
import type { SourceSpec } from '../../source/byte-source.js';
import { fileAccess, type RandomAccess } from '../../source/random-access.js';

/** Whether the capture's bytes can be read again where they are (no spool needed). */
export function readsInPlace(spec: SourceSpec): boolean {
  switch (spec.kind) {
    case 'path': return (spec.path === '-' ? fstatSync(0) : statSync(spec.path)).isFile();
    case 'follow': return true;
    case 'command': return false;
  }
}

/** Bytes arrive over time: the UI follows them (frames/s, the tail of the list). */
export function isLive(spec: SourceSpec): boolean {
  return spec.kind === 'path' ? !readsInPlace(spec) : true;
}

/** The capture read in place (readsInPlace(spec) must hold). */
export function openCaptureAccess(spec: SourceSpec): RandomAccess {
  if (spec.kind !== 'path' && spec.kind !== 'follow') throw new Error(`${spec.kind} input is only read through a spool`);
  return spec.path === '-' ? fileAccess(0, false) : fileAccess(openSync(spec.path, 'r'), true);
}
