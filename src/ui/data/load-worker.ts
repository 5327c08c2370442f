// Worker thread entry: loads the capture described in workerData and posts what it finds;
// a `stop` request ends reading early (a live capture), `applied` reports a batch taken in.
// Bundled on its own as CommonJS (scripts/bundle.mjs: load-worker.cjs), so no top-level await.

import { parentPort, workerData } from 'node:worker_threads';
import type { LoaderRequest, LoadSpec } from './load-messages.js';
import { Loader } from './loader.js';

const port = parentPort!;
// Listening for requests must not keep the thread alive once loading is over; only while
// the loader waits for the UI to catch up.
const holdOpen = (open: boolean) => (open ? port.ref() : port.unref());
const loader = new Loader(workerData as LoadSpec, (message) => port.postMessage(message), holdOpen);
port.on('message', (request: LoaderRequest) => {
  if (request.type === 'stop') loader.stop();
  else loader.applied();
});
port.unref();
void loader.run();
