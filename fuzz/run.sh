#!/usr/bin/env bash
# Runs every fuzz target for a set time (default 60 s each) and reports.
#   fuzz/run.sh [SECONDS]
# Needs cargo-fuzz (`cargo install cargo-fuzz`). The toolchain here is
# stable; RUSTC_BOOTSTRAP lets cargo-fuzz use the sanitizer flags it needs.
set -euo pipefail
cd "$(dirname "$0")"
secs=${1:-60}
export RUSTC_BOOTSTRAP=1
for target in frontmatter markdown site_toml; do
  mkdir -p "work/$target"
  echo "== $target: ${secs}s"
  cargo fuzz run "$target" "work/$target" "corpus/$target" -- \
    -max_total_time="$secs" -max_len=65536 -timeout=10 -rss_limit_mb=4096 2>&1 \
    | grep -aE '^(#[0-9]+.*(DONE|pulse)|Done|==[0-9]+==|SUMMARY|.*panicked)' | tail -3
done
