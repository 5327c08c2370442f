// Where capture bytes come from: a file, stdin, a file still being written, or a
// capture process. Everything after this reads bytes the same way whatever the source.

export interface ByteSource {
  /** Bytes arrive over time (a pipe, a followed file, a capture process), not from a regular file read at once. */
  readonly streaming: boolean;
  /** Reads into `buffer`; resolves to the count read, 0 at the end of the input. */
  read(buffer: Uint8Array): Promise<number>;
  /** Releases the source once reading has ended (no read pending). */
  close(): Promise<void>;
  /**
   * Reading stops early (Ctrl-C) while a read may still be pending: stop what would
   * otherwise run on (polling, a capture process). A blocked read of a pipe is left to
   * the process's exit: closing its descriptor would wait for it.
   */
  abort(): void;
}

/** How a source is named, on the command line and in error messages. */
export type SourceSpec =
  /** A capture file, a FIFO, or stdin (`-`). */
  | { readonly kind: 'path'; readonly path: string }
  /** A capture file still being written: read to its end, then wait for more (`--follow`). */
  | { readonly kind: 'follow'; readonly path: string }
  /** A capture process writing pcap or pcapng to its stdout (`live`). */
  | {
      readonly kind: 'command';
      readonly argv: readonly string[];
      /** The interface captured (undefined for the user's own --capture-command). */
      readonly iface: string | undefined;
      /** The command as the user would recognise it, for messages. */
      readonly label: string;
      /** A command that has written nothing by then is stopped as stalled (default START_TIMEOUT_MS). */
      readonly startTimeoutMs?: number;
    };

export type CommandSpec = Extract<SourceSpec, { kind: 'command' }>;
