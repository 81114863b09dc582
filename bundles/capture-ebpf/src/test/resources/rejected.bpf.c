// SPDX-License-Identifier: GPL-2.0
/*
 * A BPF object that the verifier rejects, with a verifier log of several KiB (NativeBridgeErrorTest): the bridge
 * must report the end of that log (where the reason is) and survive it. Compiled by the test with clang.
 */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

char LICENSE[] SEC("license") = "GPL";

struct {
    __uint(type, BPF_MAP_TYPE_RINGBUF);
    __uint(max_entries, 4096);
} events SEC(".maps");

SEC("tracepoint/syscalls/sys_enter_read")
int sys_enter_read(void *ctx)
{
    char buf[64] = {};
    __u64 sum = 0;
#pragma unroll
    for (int i = 0; i < 64; i++) {
        sum += bpf_get_prandom_u32() ^ buf[i];
    }
    /* an unbounded stack index: "invalid variable-offset" / "unbounded" at the end of the log */
    return buf[sum];
}
