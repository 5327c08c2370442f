// Worker thread entry: loads the file named in workerData and posts what it finds.

import { parentPort, workerData } from 'node:worker_threads';
import { Loader } from './loader.js';

const { path } = workerData as { path: string };
await new Loader(path, (message, transfer) => parentPort!.postMessage(message, transfer)).run();
