#!/usr/bin/env bash
# Sustained capture rate (issue 3), by hand, as root:  bench/ebpf/rate.sh [SECONDS] RATE...
# For each RATE (syscalls per second of a paced write/read loop on loopback TCP, 1 KiB, so one capture record
# per syscall), runs `deeptrace capture --comm syscall_loop` to a file and prints the loop's syscalls (the records
# expected), the records written, records/s, the kernel and user-space drops from the capture's summary, the
# agent's peak RSS and the 1-minute load average when the row ended (other work on the machine skews the rows).
#
# DEEPTRACE_HOMES="NAME=DIR NAME=DIR ...": compare distributions (e.g. before/after a change) in one run, the
# distributions interleaved rate by rate, so that each row pair shares the machine's conditions.
set -euo pipefail
cd "$(dirname "$0")"
SECS=${1:-5}
shift || true
RATES=${*:-10000 20000 40000 80000}
HOMES=${DEEPTRACE_HOMES:-dist=${DEEPTRACE_HOME:-$(cd ../.. && pwd)/assembly/target/deeptrace}}
WORK=$(mktemp -d /tmp/deeptrace-rate.XXXXXX)
trap 'kill $(jobs -p) 2>/dev/null || true; rm -rf "$WORK"' EXIT
[ "$(id -u)" = 0 ] || { echo "run as root (eBPF)" >&2; exit 1; }
gcc -O2 -o "$WORK/syscall_loop" syscall_loop.c
# Ready when the capture says so (every probe attached): counting programs in `bpftool prog list` would also count
# other tracers' programs on this machine.
ready() { for _ in $(seq 1200); do grep -q "capturing into" "$1" && return 0; kill -0 "$2" 2>/dev/null || break; sleep 0.05; done
          echo "the capture did not start: $(cat "$1")" >&2; return 1; }

printf "%-8s %7s %8s %8s %9s %12s %10s %7s %6s\n" "dist" "rate/s" "syscalls" "records" "records/s" "kernel_drops" \
    "user_drops" "rss_MB" "load1"
for rate in $RATES; do
    for entry in $HOMES; do
        name=${entry%%=*}
        home=${entry#*=}
        "$home/bin/deeptrace" capture --comm syscall_loop --out "$WORK/out.jsonl" > "$WORK/summary" 2>&1 &
        agent=$!
        ready "$WORK/summary" "$agent"
        java_pid=$(pgrep -P "$agent" java || echo "$agent")
        "$WORK/syscall_loop" rw 1024 "$SECS" "$rate" > "$WORK/loop" &
        loop=$!
        peak=0
        while kill -0 "$loop" 2>/dev/null; do
            rss=$(awk '/VmRSS/ {print $2}' "/proc/$java_pid/status" 2>/dev/null || echo 0)
            [ "${rss:-0}" -gt "$peak" ] && peak=$rss
            sleep 0.2
        done
        wait "$loop" || true
        sleep 0.5
        kill -TERM "$agent"; wait "$agent" || true
        calls=$(awk '{print $4}' "$WORK/loop")
        records=$(awk '/^records/ {print $2}' "$WORK/summary")
        kd=$(awk '/^kernel drops/ {print $3}' "$WORK/summary")
        ud=$(awk '/^user drops/ {print $3}' "$WORK/summary")
        printf "%-8s %7s %8s %8s %9.0f %12s %10s %7.0f %6s\n" "$name" "$rate" "$calls" "$records" \
            "$(awk -v r="$records" -v s="$SECS" 'BEGIN {print r / s}')" "$kd" "$ud" \
            "$(awk -v k="$peak" 'BEGIN {print k / 1024}')" "$(cut -d' ' -f1 /proc/loadavg)"
    done
done
