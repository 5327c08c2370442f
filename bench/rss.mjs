// Loaded with `node --import` into a measured process: reports its peak RSS on exit.
import { writeSync } from 'node:fs';
process.on('exit', () => {
  writeSync(2, `\n@@maxrss_kb=${process.resourceUsage().maxRSS}\n`);
});
