// SPDX-License-Identifier: GPL-2.0
/* The floor of the overhead benchmark: programs that do nothing, on the tracepoints the capture uses. */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>

char LICENSE[] SEC("license") = "GPL";

#define EMPTY(tp) SEC("tracepoint/syscalls/" #tp) int tp(void *ctx) { return 0; }
EMPTY(sys_enter_read) EMPTY(sys_exit_read) EMPTY(sys_enter_write) EMPTY(sys_exit_write)
EMPTY(sys_enter_readv) EMPTY(sys_exit_readv) EMPTY(sys_enter_writev) EMPTY(sys_exit_writev)
EMPTY(sys_enter_recvfrom) EMPTY(sys_exit_recvfrom) EMPTY(sys_enter_sendto) EMPTY(sys_exit_sendto)
EMPTY(sys_enter_recvmsg) EMPTY(sys_exit_recvmsg) EMPTY(sys_enter_sendmsg) EMPTY(sys_exit_sendmsg)
EMPTY(sys_enter_connect) EMPTY(sys_exit_connect) EMPTY(sys_enter_accept4) EMPTY(sys_exit_accept4)
EMPTY(sys_enter_close)
