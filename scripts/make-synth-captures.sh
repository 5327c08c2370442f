#!/usr/bin/env bash
# Regenerates captures/synth/: every synth scenario with seed 1, as pcap (and one
# as pcapng), each with its truth file. Run after `npm run build`.
set -euo pipefail
cd "$(dirname "$0")/.."
mkdir -p captures/synth
for name in $(node dist/cli/main.cjs synth --list | cut -d' ' -f1); do
  node dist/cli/main.cjs synth "$name" --seed 1 -o "captures/synth/$name.pcap" >/dev/null
done
node dist/cli/main.cjs synth clean-v4 --seed 1 -o captures/synth/clean-v4.pcapng >/dev/null
ls captures/synth | wc -l
