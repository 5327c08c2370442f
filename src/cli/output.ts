// Buffered writes straight to a file descriptor. Printing a million lines through
// process.stdout's stream machinery costs more than decoding them, and so does building
// them as strings: per-frame lines are written into `text`'s bytes in place.

import { writeSync } from 'node:fs';
import { ByteText } from '../dissect/present/text.js';

/** Thrown when the reader of our output went away (`| head`): stop quietly. */
export class OutputClosed extends Error {}

export class Output {
  /** The bytes not yet written out. Write a line into it, then call endLine(). */
  readonly text: ByteText;

  constructor(private readonly fd: number, private readonly limit = 1 << 16) {
    this.text = new ByteText(2 * limit);
  }

  line(text: string): void {
    this.text.text(text);
    this.endLine();
  }

  endLine(): void {
    this.text.byte(0x0a);
    if (this.text.pos >= this.limit) this.flush();
  }

  flush(): void {
    const { bytes, pos } = this.text;
    this.text.pos = 0;
    let at = 0;
    while (at < pos) {
      try {
        at += writeSync(this.fd, bytes, at, pos - at);
      } catch (e) {
        const code = (e as NodeJS.ErrnoException).code;
        if (code === 'EAGAIN') continue;
        if (code === 'EPIPE') throw new OutputClosed();
        throw e;
      }
    }
  }
}
