// A capture process (tcpdump, dumpcap, or the user's --capture-command) writing a pcap
// or pcapng stream to its stdout. Its failures become one message saying what to do:
// the process could not start, wrote nothing, or died; its stderr tells which.

import type { ChildProcess } from 'node:child_process';
import type { ByteSource, CommandSpec } from './byte-source.js';
import { explainCaptureFailure, LiveError } from './live-errors.js';
import { StreamSource } from './stream-source.js';

/** A capture process that has not written its file header by then is reported as stalled. */
const START_TIMEOUT_MS = 10_000;
/** After its stdout ends, how long the process may take to exit before it is killed. */
const EXIT_GRACE_MS = 2_000;
const STDERR_KEEP = 4096;

/**
 * node:child_process is loaded here, when a capture process starts: with node:net and the
 * streams it needs, loading it took 1.5 ms of the interactive view's loader thread before
 * it read a file's first frame.
 */
export async function openCommandSource(spec: CommandSpec): Promise<ByteSource> {
  const { spawn } = await import('node:child_process');
  const [file, ...args] = spec.argv;
  // Its own process group: stopping it stops whatever it started too (a shell's children
  // would otherwise keep the pipe open), and the terminal's Ctrl-C reaches us alone.
  const child = spawn(file!, args, { stdio: ['ignore', 'pipe', 'pipe'], detached: true });
  return new CommandSource(child, spec);
}

class CommandSource implements ByteSource {
  readonly streaming = true;
  private readonly stdout: StreamSource;
  private stderr = '';
  private spawnError: NodeJS.ErrnoException | undefined;
  private received = 0;
  private stopping = false;
  private readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  private readonly startTimer: ReturnType<typeof setTimeout>;
  private stalled = false;

  private get startTimeoutMs(): number {
    return this.spec.startTimeoutMs ?? START_TIMEOUT_MS;
  }

  constructor(private readonly child: ChildProcess, private readonly spec: CommandSpec) {
    this.stdout = new StreamSource(child.stdout!);
    child.stderr!.setEncoding('utf8');
    child.stderr!.on('data', (text: string) => { this.stderr = (this.stderr + text).slice(-STDERR_KEEP); });
    this.exited = new Promise((resolve) => {
      child.on('error', (error) => { this.spawnError = error; resolve({ code: null, signal: null }); });
      child.on('exit', (code, signal) => resolve({ code, signal }));
    });
    // A spawn failure closes no stdout: end the reads ourselves.
    void this.exited.then(() => { if (this.spawnError !== undefined) this.stdout.abort(); });
    this.startTimer = setTimeout(() => {
      if (this.received > 0) return;
      this.stalled = true;
      this.kill('SIGTERM');
    }, this.startTimeoutMs);
  }

  async read(buffer: Uint8Array): Promise<number> {
    const n = await this.stdout.read(buffer);
    if (n > 0) {
      this.received += n;
      return n;
    }
    clearTimeout(this.startTimer);
    if (this.stopping) return 0;
    const exit = await this.waitForExit();
    const failure = this.failure(exit);
    if (failure !== undefined) throw failure;
    return 0;
  }

  async close(): Promise<void> {
    this.abort();
  }

  abort(): void {
    clearTimeout(this.startTimer);
    this.stopping = true;
    this.kill('SIGTERM');
    this.stdout.abort();
  }

  private kill(signal: NodeJS.Signals): void {
    const pid = this.child.pid;
    if (pid === undefined) return;
    try {
      process.kill(-pid, signal);
    } catch {
      // The group is gone already.
    }
  }

  private async waitForExit(): Promise<{ code: number | null; signal: NodeJS.Signals | null }> {
    const timer = setTimeout(() => this.kill('SIGKILL'), EXIT_GRACE_MS);
    try {
      return await this.exited;
    } finally {
      clearTimeout(timer);
    }
  }

  /** What went wrong, if the stream ended because the process failed. */
  private failure(exit: { code: number | null; signal: NodeJS.Signals | null }): LiveError | undefined {
    const context = { spec: this.spec, stderr: this.stderr, receivedBytes: this.received };
    if (this.spawnError !== undefined) return explainCaptureFailure({ ...context, spawnError: this.spawnError });
    if (this.stalled) {
      return new LiveError(`the capture command wrote nothing in ${this.startTimeoutMs / 1000} s and was stopped: '${this.spec.label}'`);
    }
    if (exit.code === 0) return this.received === 0 ? new LiveError(`the capture command ended without writing anything: '${this.spec.label}'`) : undefined;
    return explainCaptureFailure({ ...context, exit });
  }
}
