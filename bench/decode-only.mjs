// The decode-only pass: read and decode every frame, print nothing.
import { readCaptureFile } from '../dist/source/read-capture.js';
import { decodeFrame } from '../dist/dissect/decode.js';

let frames = 0;
let virtio = 0;
await readCaptureFile(process.argv[2], {
  packet: (p) => {
    const f = decodeFrame(p);
    frames++;
    if (f.virtio !== undefined) virtio++;
  },
  notice: () => undefined,
});
process.stdout.write(`${frames} frames, ${virtio} with a virtio header\n`);
