#!/usr/bin/env bash
# Sustained capture rate (issue 3), by hand, as root:  bench/ebpf/rate.sh [SECONDS] RATE...
# For each RATE (syscalls per second of a paced write/read loop on loopback TCP, 1 KiB, so one capture record
# per syscall), runs `deeptrace capture --comm syscall_loop` to a file and prints records, records/s, the
# kernel and user-space drops from the capture's summary, and the agent's peak RSS.
set -euo pipefail
cd "$(dirname "$0")"
SECS=${1:-5}
shift || true
RATES=${*:-10000 20000 40000 80000}
HOME_DIR=${DEEPTRACE_HOME:-$(cd ../.. && pwd)/assembly/target/deeptrace}
WORK=$(mktemp -d /tmp/deeptrace-rate.XXXXXX)
trap 'kill $(jobs -p) 2>/dev/null || true; rm -rf "$WORK"' EXIT
[ "$(id -u)" = 0 ] || { echo "run as root (eBPF)" >&2; exit 1; }
gcc -O2 -o "$WORK/syscall_loop" syscall_loop.c
attached() { bpftool prog list | grep -c " name sys_enter_read" || true; }

printf "%9s %9s %11s %12s %10s %9s\n" "rate/s" "records" "records/s" "kernel_drops" "user_drops" "rss_MB"
for rate in $RATES; do
    "$HOME_DIR/bin/deeptrace" capture --comm syscall_loop --out "$WORK/out.jsonl" > "$WORK/summary" 2>&1 &
    agent=$!
    for _ in $(seq 200); do [ "$(attached)" -ge 1 ] && break; sleep 0.05; done
    java_pid=$(pgrep -P "$agent" java || echo "$agent")
    "$WORK/syscall_loop" rw 1024 "$SECS" "$rate" > "$WORK/loop" &
    loop=$!
    peak=0
    while kill -0 "$loop" 2>/dev/null; do
        rss=$(awk '/VmRSS/ {print $2}' "/proc/$java_pid/status" 2>/dev/null || echo 0)
        [ "${rss:-0}" -gt "$peak" ] && peak=$rss
        sleep 0.2
    done
    sleep 0.5
    kill -TERM "$agent"; wait "$agent" || true
    records=$(awk '/^records/ {print $2}' "$WORK/summary")
    kd=$(awk '/^kernel drops/ {print $3}' "$WORK/summary")
    ud=$(awk '/^user drops/ {print $3}' "$WORK/summary")
    printf "%9s %9s %11.0f %12s %10s %9.0f\n" "$rate" "$records" "$(echo "$records / $SECS" | awk '{print $1/$3}')" \
        "$kd" "$ud" "$(awk -v k="$peak" 'BEGIN {print k/1024}')"
done
