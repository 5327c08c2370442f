import type { DecodedFrame } from '../decode.js';

/** Per-frame facts the filter needs that the frame itself does not carry. */
export interface FilterContext {
  /** Whether the frame's connection uses RFC-v4 markers (decides what RW flag bits mean). */
  readonly v4Dialect: boolean;
}

export type FrameFilter = (frame: DecodedFrame, ctx: FilterContext) => boolean;
