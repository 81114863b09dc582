#!/usr/bin/env bash
# eBPF capture overhead benchmark (issue 3), run by hand as root, never as a timed test:
#   bench/ebpf/run.sh [ROUNDS] [SECONDS_PER_RUN]
# A loopback TCP syscall loop (write/read, sendto/recvfrom, sendmsg/recvmsg, writev/readv; 64 B, 1 KiB, 4 KiB)
# is timed in four modes, interleaved round by round:
#   none     no eBPF program attached
#   idle     `deeptrace capture` running, targeting a process name that does not exist
#   capture  `deeptrace capture --comm syscall_loop`: every syscall of the loop is recorded
#   empty    programs that return at once, on the same tracepoints (the floor every tracer pays)
# With DEEPTRACE_COMPARE_HOME=DIR (another distribution, e.g. the one before a change) two more modes run in the
# same rounds, idle2 and capture2, so that before and after share the machine's conditions.
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

# Ready when the process says so ("capturing into" / "attached N"): counting programs in `bpftool prog list` would
# also count other tracers' programs on this machine. The agent detaches before it exits.
wait_ready() { for _ in $(seq 1200); do grep -q "$2" "$1" 2>/dev/null && return 0; kill -0 "$AGENT" 2>/dev/null || break
               sleep 0.05; done; echo "agent did not attach: $(cat "$1")" >&2; exit 1; }

# Pause after each cell of the capture modes. Use a ring buffer that holds a whole cell's records
# (ring_buffer_size in the distribution's etc/org.deeptrace.capture.cfg, e.g. 268435456 for 0.2 s cells), or the
# capture rows measure drops instead of capturing.
DRAIN_SECS=${DRAIN_SECS:-1.5}
WARM_SECS=${WARM_SECS:-2}
AGENT=
COMPARE=${DEEPTRACE_COMPARE_HOME:-}
MODES="none idle capture empty"
[ -n "$COMPARE" ] && MODES="none idle capture idle2 capture2 empty"
start_mode() {
    case $1 in
        idle2) "$COMPARE/bin/deeptrace" capture --comm no_such_proc --out "$WORK/idle.jsonl" > "$WORK/idle.summary" 2>&1 &
              AGENT=$!; wait_ready "$WORK/idle.summary" "capturing into" ;;
        capture2) "$COMPARE/bin/deeptrace" capture --comm syscall_loop --out "$WORK/capture.jsonl" \
                      > "$WORK/capture.last" 2>&1 &
              AGENT=$!; wait_ready "$WORK/capture.last" "capturing into"; date +%s.%N > "$WORK/capture.start" ;;
        none) ;;
        idle) "$HOME_DIR/bin/deeptrace" capture --comm no_such_proc --out "$WORK/idle.jsonl" > "$WORK/idle.summary" 2>&1 &
              AGENT=$!; wait_ready "$WORK/idle.summary" "capturing into" ;;
        capture) "$HOME_DIR/bin/deeptrace" capture --comm syscall_loop --out "$WORK/capture.jsonl" \
                      > "$WORK/capture.last" 2>&1 &
              AGENT=$!; wait_ready "$WORK/capture.last" "capturing into"; date +%s.%N > "$WORK/capture.start" ;;
        empty) "$WORK/empty_loader" "$WORK/empty.bpf.o" > "$WORK/empty.out" & AGENT=$!; wait_ready "$WORK/empty.out" attached ;;
    esac
}
stop_mode() {
    if [ -n "$AGENT" ]; then
        stopped=$(date +%s.%N)
        kill -TERM "$AGENT"; wait "$AGENT" 2>/dev/null || true; AGENT=
        if [ "$1" = capture ] || [ "$1" = capture2 ]; then
            sed "s/^/$1 /" "$WORK/capture.last" >> "$WORK/capture.summary"
            echo "$1 elapsed $(python3 -c "import sys; print(float(sys.argv[1]) - float(sys.argv[2]))" "$stopped" "$(cat "$WORK/capture.start")")" >> "$WORK/capture.summary"
        fi
    fi
}

: > "$WORK/results"
: > "$WORK/capture.summary"
LOAD_START=$(cut -d' ' -f1-3 /proc/loadavg)
for round in $(seq "$ROUNDS"); do
    for mode in $MODES; do
        start_mode $mode
        # Capture modes first write the whole ring buffer once (paced, 4 KiB records) and let it drain: in a VM the
        # first write to each page of a fresh ring buffer can fault into the hypervisor, which made the first
        # cells after start-up several times dearer than the rest (per-program run_time_ns: 5-7 us vs 0.5 us).
        case $mode in capture*) "$WORK/syscall_loop" rw 4096 "$WARM_SECS" 40000 > /dev/null; sleep "$DRAIN_SECS" ;; esac
        for kind in rw sendrecv msg vec; do
            for size in 64 1024 4096; do
                echo "$mode $("$WORK/syscall_loop" $kind $size "$SECS")" >> "$WORK/results"
                # let the capture drain what the cell produced (an unpaced loop writes records faster than any
                # consumer reads them): each cell then starts with an empty ring buffer, and a full ring buffer's
                # cheap failed reservations do not make a slow consumer look like a cheap probe
                case $mode in capture*) sleep "$DRAIN_SECS" ;; esac
            done
        done
        stop_mode $mode
    done
    echo "round $round done, load average $(cut -d' ' -f1-3 /proc/loadavg)" >&2
done
echo "load average (1, 5, 15 min): at start $LOAD_START, at end $(cut -d' ' -f1-3 /proc/loadavg)"
[ -n "$COMPARE" ] && echo "idle/capture: $HOME_DIR; idle2/capture2: $COMPARE"

python3 - "$WORK/results" "$WORK/capture.summary" "$MODES" <<'PY'
import statistics, sys, collections
modes = sys.argv[3].split()
extra = [m for m in modes if m != "none"]
captures = [m for m in modes if m.startswith("capture")]
def table(title, column):
  cells = collections.defaultdict(list)
  for line in open(sys.argv[1]):
    f = line.split()
    cells[(f[1], int(f[2]), f[0])].append(float(f[column]))
  print(title)
  print("%-9s %5s | " % ("syscalls", "size") + " ".join("%8s" % (m + " ns") for m in modes) + " | "
        + " ".join("%9s" % (m + " %") for m in extra) + " | " + " ".join("%s/floor" % m for m in captures))
  for kind in ["rw", "sendrecv", "msg", "vec"]:
    for size in [64, 1024, 4096]:
        m = {mo: statistics.median(cells[(kind, size, mo)]) for mo in modes}
        pct = {mo: 100.0 * (m[mo] - m["none"]) / m["none"] for mo in modes}
        ratios = [pct[c] / pct["empty"] if pct["empty"] > 0 else float("nan") for c in captures]
        print("%-9s %5d | " % (kind, size) + " ".join("%8.0f" % m[mo] for mo in modes) + " | "
              + " ".join("%+8.1f%%" % pct[mo] for mo in extra) + " | "
              + " ".join("%12.2fx" % r for r in ratios))
table("CPU time of the loop process, ns per syscall (median)", 5)
table("wall-clock time, ns per syscall (median)", 3)
for c in captures:
    records = elapsed = 0
    drops = []
    for line in open(sys.argv[2]):
        parts = line.split()
        if parts[0] != c:
            continue
        parts = parts[1:]
        if parts[0] == "records": records += int(parts[1])
        if parts[:2] in (["kernel", "drops"], ["user", "drops"]): drops.append(int(parts[2]))
        if parts[0] == "elapsed": elapsed += float(parts[1])
    print("%s mode: %d records in %.1f s of capture (%.0f records/s including idle gaps), drops %s"
          % (c, records, elapsed, records / elapsed if elapsed else 0, "+".join(map(str, drops)) or "?"))
PY
