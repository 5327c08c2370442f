// The environment every measured command runs in: this one, less what makes Node's own
// start slower without touching what vsockscope does. NODE_EXTRA_CA_CERTS makes every Node
// process read and parse a certificate bundle before it runs a line: on the machines where
// it was set (a bundle of 144 certificates), Node ran its first line at 47 ms instead of 14.
// That time is the same for every Node command, so it flattered each ratio between two of
// ours (check to decode-only, the TUI's full load to check) toward 1. vsockscope makes no
// TLS connection.

export const DROPPED = ['NODE_EXTRA_CA_CERTS'].filter((name) => process.env[name] !== undefined);

export const PLAIN_ENV = Object.fromEntries(Object.entries(process.env).filter(([name]) => !DROPPED.includes(name)));

/** The bench's line saying what it dropped, or undefined. */
export function droppedNote() {
  return DROPPED.length === 0 ? undefined : `  info  every command runs without ${DROPPED.join(', ')} (set here): it adds a certificate bundle's parsing to each Node start (bench/plain-env.mjs)`;
}
