// The first step of opening a capture, before the session's modules load: where its bytes
// are read from (in place, or a spool for bytes that arrive over time) and, in a worker
// thread, the loader. The full load waits for the loader, so it starts reading while the
// rest of the interactive view (the session, ink and react) loads. Session.open takes it
// from here.

import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { EngineOptions } from '../../reassembly/index.js';
import type { SourceSpec } from '../../source/byte-source.js';
import { readsInPlace } from '../../source/random-access.js';
import { removeSpool, SEGMENT_BYTES, type SpoolLayout } from '../../source/spool.js';
import type { LoadSpec } from './load-messages.js';
import { LoaderThread } from './loader-thread.js';

export interface SessionOptions {
  /**
   * Load in a worker thread (load-worker.cjs, bundled next to this module): the engine
   * then runs beside the UI instead of between its repaints. Off: on this thread, the
   * same messages passed through structuredClone (what tests run from the sources use).
   */
  readonly worker?: boolean;
  /** Keep only the newest N frames (and what is about them): --ring. */
  readonly ring?: number;
  readonly engine?: EngineOptions;
  /** Size of the spool's segment files (what --ring deletes at a time). */
  readonly spoolSegmentBytes?: number;
}

export interface Opening {
  readonly spec: SourceSpec;
  /** The capture is read in place (a file); else its bytes are spooled as they arrive. */
  readonly inPlace: boolean;
  readonly spool: SpoolLayout | undefined;
  /** Removes the spool; also registered to run on exit until called. */
  readonly removeSpool: (() => void) | undefined;
  readonly load: LoadSpec;
  /** The loader, reading already (options.worker); else the session runs it on its own thread. */
  readonly thread: LoaderThread | undefined;
}

/** Throws when the input cannot be opened (a path that does not exist). */
export function startOpening(input: string | SourceSpec, options: SessionOptions = {}): Opening {
  const spec: SourceSpec = typeof input === 'string' ? { kind: 'path', path: input } : input;
  const inPlace = readsInPlace(spec);
  let spool: SpoolLayout | undefined;
  let remove: (() => void) | undefined;
  if (!inPlace) {
    spool = { dir: mkdtempSync(join(tmpdir(), 'vsockscope-spool-')), segmentBytes: options.spoolSegmentBytes ?? SEGMENT_BYTES };
    const dir = spool.dir;
    const onExit = () => removeSpool(dir);
    process.on('exit', onExit);
    remove = () => {
      process.off('exit', onExit);
      onExit();
    };
  }
  const load: LoadSpec = { source: spec, ...(spool !== undefined ? { spool } : {}), ...(options.engine !== undefined ? { engine: options.engine } : {}) };
  return { spec, inPlace, spool, removeSpool: remove, load, thread: options.worker === true ? new LoaderThread(load) : undefined };
}
