// Why a live capture failed, and the commands that fix it. The capture tool's stderr
// tells a missing interface from a permission problem; everything else is quoted.

import { basename } from 'node:path';
import { escapeText } from '../dissect/present/escape.js';
import type { CommandSpec } from './byte-source.js';

/** A live capture that cannot go on; its message is the one line the user sees. */
export class LiveError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'LiveError';
  }
}

export function missingInterface(iface: string): LiveError {
  return new LiveError(`interface ${iface} does not exist: create it with 'ip link add type vsockmon' and 'ip link set ${iface} up' ` +
    `(as root: they need CAP_NET_ADMIN; 'modprobe vsockmon' first if the module is not loaded)`);
}

export function missingTool(): LiveError {
  return new LiveError("neither tcpdump nor dumpcap was found: install one ('apt-get install tcpdump') or name a capture program with --capture-command");
}

function permissionDenied(iface: string | undefined, tool: string): LiveError {
  const where = iface !== undefined ? ` on ${iface}` : '';
  return new LiveError(`permission denied capturing${where}: run as root, or give ${tool} the capabilities it needs ` +
    `('setcap cap_net_raw,cap_net_admin=eip $(command -v ${tool})')`);
}

export interface CaptureFailure {
  readonly spec: CommandSpec;
  readonly stderr: string;
  readonly receivedBytes: number;
  readonly spawnError?: NodeJS.ErrnoException;
  readonly exit?: { readonly code: number | null; readonly signal: NodeJS.Signals | null };
}

export function explainCaptureFailure(f: CaptureFailure): LiveError {
  const { iface, label } = f.spec;
  // The user's own command runs under /bin/sh: name it, not the shell.
  const tool = iface !== undefined ? basename(f.spec.argv[0]!) : label.split(/\s+/)[0] ?? label;
  if (f.spawnError !== undefined) {
    if (f.spawnError.code === 'ENOENT') return new LiveError(`cannot run ${tool}: not found on PATH (install it, or name another capture program with --capture-command)`);
    if (f.spawnError.code === 'EACCES') return permissionDenied(iface, tool);
    return new LiveError(`cannot run ${tool}: ${f.spawnError.message}`);
  }
  const said = f.stderr.toLowerCase();
  if (iface !== undefined && /no such device|doesn't exist|does not exist|no such interface/.test(said)) return missingInterface(iface);
  if (/permission denied|operation not permitted|don't have permission|not permitted/.test(said)) return permissionDenied(iface, tool);
  const how = f.exit?.signal != null ? `was killed by ${f.exit.signal}` : `exited with status ${f.exit?.code ?? '?'}`;
  const when = f.receivedBytes > 0 ? `after ${f.receivedBytes} bytes` : 'before writing anything';
  const last = lastLine(f.stderr);
  return new LiveError(`the capture command ${how} ${when}${last !== '' ? `: ${escapeText(last)}` : ''}`);
}

function lastLine(text: string): string {
  const lines = text.split('\n').map((l) => l.trim()).filter((l) => l !== '');
  return lines.at(-1) ?? '';
}
