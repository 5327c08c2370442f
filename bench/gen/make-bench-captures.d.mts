// Types of make-bench-captures.mjs (plain JavaScript, run without a build).

/** Writes (or keeps, when up to date) dir/mix-1m.pcap and dir/hdr-1m.pcap; returns their paths. */
export function makeBenchCaptures(dir: string): Promise<{ mix: string; headers: string }>;

/** Writes (or keeps) dir/mix-<N>.pcap ("mix-10m.pcap" for 10,000,000): the mix-1m traffic for N frames, streamed to disk. */
export function makeHugeCapture(dir: string, frames?: number): Promise<string>;
