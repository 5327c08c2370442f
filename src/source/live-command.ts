// `vsockscope live`: the capture command for an interface. tcpdump when installed (else
// dumpcap), packet-buffered and unbuffered so frames reach us as they are captured.

import { accessSync, constants, existsSync } from 'node:fs';
import { delimiter, join } from 'node:path';
import type { SourceSpec } from './byte-source.js';
import { missingInterface, missingTool } from './live-errors.js';

export const DEFAULT_INTERFACE = 'vsockmon0';

export function liveSpec(iface: string, captureCommand: string | undefined, startTimeoutMs?: number, env: NodeJS.ProcessEnv = process.env): SourceSpec {
  const timeout = startTimeoutMs !== undefined ? { startTimeoutMs } : {};
  if (captureCommand !== undefined) return { kind: 'command', argv: ['/bin/sh', '-c', captureCommand], iface: undefined, label: captureCommand, ...timeout };
  if (!existsSync(join('/sys/class/net', iface))) throw missingInterface(iface);
  const tcpdump = onPath('tcpdump', env);
  if (tcpdump !== undefined) {
    const argv = [tcpdump, '-i', iface, '-U', '--immediate-mode', '-s', '0', '-w', '-'];
    return { kind: 'command', argv, iface, label: argv.join(' '), ...timeout };
  }
  const dumpcap = onPath('dumpcap', env);
  if (dumpcap !== undefined) {
    const argv = [dumpcap, '-q', '-i', iface, '-w', '-'];
    return { kind: 'command', argv, iface, label: argv.join(' '), ...timeout };
  }
  throw missingTool();
}

function onPath(name: string, env: NodeJS.ProcessEnv): string | undefined {
  for (const dir of (env.PATH ?? '').split(delimiter)) {
    if (dir === '') continue;
    const path = join(dir, name);
    try {
      accessSync(path, constants.X_OK);
      return path;
    } catch {
      // not here
    }
  }
  return undefined;
}
