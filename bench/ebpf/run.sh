#!/usr/bin/env bash
# eBPF capture overhead benchmark (issue 3), run by hand as root, never as a timed test:
#   bench/ebpf/run.sh [ROUNDS] [SECONDS_PER_RUN]
# A loopback TCP syscall loop (write/read, sendto/recvfrom, sendmsg/recvmsg, writev/readv; 64 B, 1 KiB, 4 KiB)
# is timed in four modes, interleaved round by round:
#   none     no eBPF program attached
#   idle     `deeptrace capture` running, targeting a process name that does not exist
#   capture  `deeptrace capture --comm syscall_loop`: every syscall of the loop is recorded
#   empty    programs that return at once, on the same tracepoints (the floor every tracer pays)
# Prints, per cell, the median CPU ns per syscall of the loop process (user + system time: what the syscall and
# the eBPF programs cost it) and the overhead against `none`, then the same for wall-clock ns (which also
# counts waiting for a CPU while the agent's threads run: on 2 vCPUs a saturated consumer shows up there),
# then the capture's records per second and drops (from the capture summaries).
set -euo pipefail
cd "$(dirname "$0")"
ROUNDS=${1:-5}
SECS=${2:-0.5}
HOME_DIR=${DEEPTRACE_HOME:-$(cd ../.. && pwd)/assembly/target/deeptrace}
WORK=$(mktemp -d /tmp/deeptrace-bench.XXXXXX)
trap 'kill $(jobs -p) 2>/dev/null || true; rm -rf "$WORK"' EXIT

[ "$(id -u)" = 0 ] || { echo "run as root (eBPF)" >&2; exit 1; }
[ -x "$HOME_DIR/bin/deeptrace" ] || { echo "no distribution at $HOME_DIR (mvn install first)" >&2; exit 1; }
mountpoint -q /sys/kernel/tracing || mount -t tracefs nodev /sys/kernel/tracing
NATIVE_OUT=$(cd ../.. && pwd)/bundles/capture-ebpf/target/native
[ -f "$NATIVE_OUT/vmlinux.h" ] || { echo "build bundles/capture-ebpf first (it generates vmlinux.h)" >&2; exit 1; }
gcc -O2 -o "$WORK/syscall_loop" syscall_loop.c
gcc -O2 -o "$WORK/empty_loader" empty_loader.c -lbpf -lelf -lz
clang -O2 -g -target bpf -I"$NATIVE_OUT" -c empty.bpf.c -o "$WORK/empty.bpf.o"

attached() { bpftool prog list | grep -c " name sys_enter_read" || true; }
wait_attached() { for _ in $(seq 200); do [ "$(attached)" -ge 1 ] && return 0; sleep 0.05; done; echo "agent did not attach" >&2; exit 1; }
wait_detached() { for _ in $(seq 200); do [ "$(attached)" -eq 0 ] && return 0; sleep 0.05; done; echo "programs left attached" >&2; exit 1; }

AGENT=
start_mode() {
    case $1 in
        none) ;;
        idle) "$HOME_DIR/bin/deeptrace" capture --comm no_such_proc --out "$WORK/idle.jsonl" > "$WORK/idle.summary" 2>&1 &
              AGENT=$!; wait_attached ;;
        capture) "$HOME_DIR/bin/deeptrace" capture --comm syscall_loop --out "$WORK/capture.jsonl" \
                      >> "$WORK/capture.summary" 2>&1 &
              AGENT=$!; wait_attached; date +%s.%N > "$WORK/capture.start" ;;
        empty) "$WORK/empty_loader" "$WORK/empty.bpf.o" > /dev/null & AGENT=$!; wait_attached ;;
    esac
}
stop_mode() {
    if [ -n "$AGENT" ]; then
        kill -TERM "$AGENT"; wait "$AGENT" 2>/dev/null || true; AGENT=
        if [ "$1" = capture ]; then
            echo "elapsed $(python3 -c "import sys; print(float(sys.argv[1]) - float(sys.argv[2]))" "$(date +%s.%N)" "$(cat "$WORK/capture.start")")" >> "$WORK/capture.summary"
        fi
        wait_detached
    fi
}

: > "$WORK/results"
for round in $(seq "$ROUNDS"); do
    for mode in none idle capture empty; do
        start_mode $mode
        for kind in rw sendrecv msg vec; do
            for size in 64 1024 4096; do
                echo "$mode $("$WORK/syscall_loop" $kind $size "$SECS")" >> "$WORK/results"
            done
        done
        stop_mode $mode
    done
    echo "round $round done" >&2
done

python3 - "$WORK/results" "$WORK/capture.summary" <<'PY'
import statistics, sys, collections
modes = ["none", "idle", "capture", "empty"]
def table(title, column):
  cells = collections.defaultdict(list)
  for line in open(sys.argv[1]):
    f = line.split()
    cells[(f[1], int(f[2]), f[0])].append(float(f[column]))
  print(title)
  print("%-9s %5s | %9s %9s %9s %9s | %8s %8s %8s | %s" % ("syscalls", "size", "none ns", "idle ns", "capture", "empty ns",
      "idle %", "capt %", "empty %", "capture/floor"))
  for kind in ["rw", "sendrecv", "msg", "vec"]:
    for size in [64, 1024, 4096]:
        m = {mo: statistics.median(cells[(kind, size, mo)]) for mo in modes}
        pct = {mo: 100.0 * (m[mo] - m["none"]) / m["none"] for mo in modes}
        ratio = pct["capture"] / pct["empty"] if pct["empty"] > 0 else float("nan")
        print("%-9s %5d | %9.0f %9.0f %9.0f %9.0f | %+7.1f%% %+7.1f%% %+7.1f%% | %.2fx" % (kind, size, m["none"], m["idle"],
              m["capture"], m["empty"], pct["idle"], pct["capture"], pct["empty"], ratio))
table("CPU time of the loop process, ns per syscall (median)", 5)
table("wall-clock time, ns per syscall (median)", 3)
records = elapsed = 0
drops = []
for line in open(sys.argv[2]):
    parts = line.split()
    if line.startswith("records"): records += int(parts[1])
    if line.startswith("kernel drops") or line.startswith("user drops"): drops.append(int(parts[2]))
    if line.startswith("elapsed"): elapsed += float(parts[1])
print("capture mode: %d records in %.1f s of capture (%.0f records/s including idle gaps), drops %s"
      % (records, elapsed, records / elapsed if elapsed else 0, "+".join(map(str, drops)) or "?"))
PY
