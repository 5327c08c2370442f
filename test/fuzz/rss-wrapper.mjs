// Runs the CLI named by the first argument with the remaining arguments, and at exit
// writes this process's peak resident set in kB to the file FUZZ_RSS_FILE names.

import { writeFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';

const [cli, ...args] = process.argv.slice(2);
process.argv = [process.argv[0], cli, ...args];
process.on('exit', () => writeFileSync(process.env.FUZZ_RSS_FILE, String(process.resourceUsage().maxRSS)));
await import(pathToFileURL(cli).href);
