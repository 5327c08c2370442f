// Buffered writes straight to a file descriptor. Printing a million lines through
// process.stdout's stream machinery costs more than decoding them.

import { writeSync } from 'node:fs';

/** Thrown when the reader of our output went away (`| head`): stop quietly. */
export class OutputClosed extends Error {}

export class Output {
  private chunks: string[] = [];
  private size = 0;

  constructor(private readonly fd: number, private readonly limit = 1 << 16) {}

  line(text: string): void {
    this.chunks.push(text, '\n');
    this.size += text.length + 1;
    if (this.size >= this.limit) this.flush();
  }

  flush(): void {
    if (this.size === 0) return;
    const data = Buffer.from(this.chunks.join(''), 'utf8');
    this.chunks = [];
    this.size = 0;
    let at = 0;
    while (at < data.length) {
      try {
        at += writeSync(this.fd, data, at);
      } catch (e) {
        const code = (e as NodeJS.ErrnoException).code;
        if (code === 'EAGAIN') continue;
        if (code === 'EPIPE') throw new OutputClosed();
        throw e;
      }
    }
  }
}
