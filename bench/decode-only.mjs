// The decode-only pass: read and decode every frame, as the pipeline does (FrameDecoder),
// print nothing.
import { readCaptureFile } from '../dist/source/read-capture.js';
import { FrameDecoder } from '../dist/dissect/decode.js';
const decoder = new FrameDecoder();

let frames = 0;
let virtio = 0;
await readCaptureFile(process.argv[2], {
  packet: (p) => {
    const f = decoder.decode(p);
    frames++;
    if (f.virtio !== undefined) virtio++;
  },
  notice: () => undefined,
});
process.stdout.write(`${frames} frames, ${virtio} with a virtio header\n`);
