// `--follow FILE`: a capture file still being written, like `tail -f`. Reads to the
// current end, then polls for more; a record cut by the writer is completed by its next
// write (the capture reader carries partial records across reads). Ends only by abort(),
// after which the read in flight returns 0 and closes the file (a reader never closes
// a streaming source: its read might never return).

import { open } from 'node:fs/promises';
import { CaptureError } from '../dissect/container/types.js';
import type { ByteSource } from './byte-source.js';

const POLL_MS = 100;

export async function openFollowSource(path: string, pollMs = POLL_MS): Promise<ByteSource> {
  const handle = await open(path, 'r');
  let position = 0;
  let stopped = false;
  let wake: (() => void) | undefined;
  let closing: Promise<void> | undefined;
  const close = () => (closing ??= handle.close());
  return {
    streaming: true,
    async read(buffer) {
      while (!stopped) {
        const { bytesRead } = await handle.read(buffer, 0, buffer.length, position);
        if (bytesRead > 0) {
          position += bytesRead;
          return bytesRead;
        }
        const { size } = await handle.stat();
        if (size < position) throw new CaptureError(`the file shrank to ${size} bytes while being followed (it was rewritten?)`, size);
        await new Promise<void>((resolve) => {
          wake = resolve;
          setTimeout(resolve, pollMs);
        });
      }
      await close();
      return 0;
    },
    close,
    abort() {
      stopped = true;
      wake?.();
    },
  };
}
