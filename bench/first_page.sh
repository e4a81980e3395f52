#!/usr/bin/env bash
# Seconds from a fresh clone to the demo's first page (README's first lines, docs/benchmarks.md):
#   bash bench/first_page.sh [REPOSITORY] [BRANCH] [PORT]
# Clones REPOSITORY (default: this one) into a new temporary folder, runs `make demo PORT=…` there and polls the
# home page until it answers 200; prints the time and where each step went, then stops the server it started.
set -euo pipefail
repo="${1:-$(git -C "$(dirname "$0")/.." rev-parse --show-toplevel)}"
branch="${2:-$(git -C "$repo" rev-parse --abbrev-ref HEAD)}"
port="${3:-8097}"
dir="$(mktemp -d /tmp/participe-fresh.XXXXXX)"
log="$dir.log"
start=$(date +%s.%N)
git clone --quiet --branch "$branch" "$repo" "$dir"
cd "$dir"
export start port
# Each line of make's output stamped with the seconds since the clone started: where the time goes.
setsid bash -c 'make demo PORT="$port" 2>&1 | while IFS= read -r line; do
    printf "%6.1f  %s\n" "$(echo "$(date +%s.%N) - $start" | bc)" "$line"; done' >"$log" 2>&1 &
make_pid=$!
trap 'kill -- -"$make_pid" 2>/dev/null || true' EXIT
until curl -fsS -o /dev/null "http://127.0.0.1:$port/" 2>/dev/null; do
    kill -0 "$make_pid" 2>/dev/null || { echo "make demo stopped; see $log" >&2; exit 1; }
    sleep 0.5
done
end=$(date +%s.%N)
printf 'first page after %.1f s (clone %s, branch %s, load average %s)\n' "$(echo "$end - $start" | bc)" "$dir" \
    "$branch" "$(cut -d' ' -f1-3 /proc/loadavg)"
grep -E 'pip install|npm ci|compilemessages|migrate|createcachetable|load_demo|runserver' "$log" | cut -c1-140 || true
