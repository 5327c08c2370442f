// The loader's worker thread (load-worker.cjs, bundled next to this module), seen from the
// UI's side. It may start before the session that reads its messages exists (opening.ts):
// what it sends until then is kept and handed over.

import { Worker } from 'node:worker_threads';
import { sentError, type LoaderRequest, type LoadMessage, type LoadSpec } from './load-messages.js';

export class LoaderThread {
  private readonly worker: Worker;
  private receive: ((message: LoadMessage) => void) | undefined;
  private early: LoadMessage[] = [];
  private ended = false;

  constructor(spec: LoadSpec) {
    this.worker = new Worker(new URL('./load-worker.cjs', import.meta.url), { workerData: spec });
    this.worker.on('message', (message: LoadMessage) => this.deliver(message));
    this.worker.on('error', (error) => this.deliver({ type: 'failed', error: sentError(error) }));
    this.worker.on('exit', (code) => {
      if (!this.ended) this.deliver({ type: 'failed', error: { name: 'Error', message: `the loader stopped (exit code ${code})` } });
    });
  }

  /** Hands every message, those sent so far first, to `receive`. */
  listen(receive: (message: LoadMessage) => void): void {
    this.receive = receive;
    const early = this.early;
    this.early = [];
    for (const message of early) receive(message);
  }

  /** Tells the loader the UI applied one of its batches: it paces reading by that. */
  applied(): void {
    this.worker.postMessage({ type: 'applied' } satisfies LoaderRequest);
  }

  /** Asks the loader to stop reading; what was read is still analysed (a live capture). */
  requestStop(): void {
    this.worker.postMessage({ type: 'stop' } satisfies LoaderRequest);
  }

  terminate(): void {
    void this.worker.terminate();
  }

  private deliver(message: LoadMessage): void {
    if (message.type === 'end' || message.type === 'failed') this.ended = true;
    if (this.receive !== undefined) this.receive(message);
    else this.early.push(message);
  }
}
