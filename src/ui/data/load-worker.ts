// Worker thread entry: loads the capture described in workerData and posts what it finds;
// a `stop` request ends reading early (a live capture).

import { parentPort, workerData } from 'node:worker_threads';
import type { LoaderRequest, LoadSpec } from './load-messages.js';
import { Loader } from './loader.js';

const port = parentPort!;
const loader = new Loader(workerData as LoadSpec, (message, transfer) => port.postMessage(message, transfer));
port.on('message', (request: LoaderRequest) => {
  if (request.type === 'stop') loader.stop();
});
// Listening for requests must not keep the thread alive once loading is over.
port.unref();
await loader.run();
