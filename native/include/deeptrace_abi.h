/*
 * The only ABI between the eBPF programs (native/bpf) and user space (native/jni and the Java decoder
 * org.deeptrace.capture.ebpf.internal.EventLayout). Fixed-width fields, explicit padding, no implicit holes:
 * EventLayoutTest compares the offsets below with the Java constants through the JNI library.
 *
 * Change a field here -> change EventLayout.java -> run the module's tests.
 */
#ifndef DEEPTRACE_ABI_H
#define DEEPTRACE_ABI_H

#ifndef __VMLINUX_H__
#include <linux/types.h>
#endif

#define DT_ABI_VERSION 1
#define DT_COMM_LEN 16
/* Largest payload prefix a record can carry; the configured prefix (default 4096) is at most this. */
#define DT_PAYLOAD_CAP 8192
/* Vectored calls: iovecs walked per call. */
#define DT_MAX_IOV 16
/* recvmmsg/sendmmsg: messages emitted per call (one record each). */
#define DT_MAX_MMSG 8

/* dt_event.syscall */
enum dt_syscall {
    DT_SYS_READ = 0,
    DT_SYS_READV = 1,
    DT_SYS_RECVFROM = 2,
    DT_SYS_RECVMSG = 3,
    DT_SYS_RECVMMSG = 4,
    DT_SYS_WRITE = 5,
    DT_SYS_WRITEV = 6,
    DT_SYS_SENDTO = 7,
    DT_SYS_SENDMSG = 8,
    DT_SYS_SENDMMSG = 9,
    DT_SYS_SSL_READ = 10,
    DT_SYS_SSL_WRITE = 11,
};

/* dt_event.direction */
#define DT_DIR_INGRESS 0
#define DT_DIR_EGRESS 1

/* dt_event.flags */
#define DT_FLAG_HAS_SEQ 0x1

/* dt_event.role: learnt from connect (client) and accept4 (server) */
#define DT_ROLE_UNKNOWN 0
#define DT_ROLE_CLIENT 1
#define DT_ROLE_SERVER 2

/*
 * One ring-buffer record: this header, then `captured` payload bytes. 104 bytes, 8-aligned. A record may be
 * longer than header + captured: flat payloads are read straight into a ring-buffer reservation, whose size must
 * be a constant, so their payload area is the smallest of DT_PAYLOAD_CLASSES that holds the prefix; the bytes
 * after `captured` are not part of the record (the JNI bridge does not copy them out).
 */
#define DT_PAYLOAD_CLASSES 64, 256, 1024, 2048, 4096, DT_PAYLOAD_CAP
struct dt_event {
    __u64 enter_ns;      /*  0: bpf_ktime_get_ns() at sys_enter */
    __u64 exit_ns;       /*  8: bpf_ktime_get_ns() at sys_exit */
    __u32 tgid;          /* 16 */
    __u32 tid;           /* 20 */
    __s32 fd;            /* 24 */
    __u32 size;          /* 28: the syscall's return value (bytes transferred) */
    __u32 captured;      /* 32: payload bytes following the header */
    __u32 tcp_seq;       /* 36: copied_seq (ingress) / write_seq (egress) at entry; valid with DT_FLAG_HAS_SEQ */
    __u16 syscall;       /* 40: enum dt_syscall */
    __u8 direction;      /* 42: DT_DIR_* */
    __u8 l4;             /* 43: IPPROTO_TCP (6) or IPPROTO_UDP (17) */
    __u16 family;        /* 44: AF_INET (2) or AF_INET6 (10) */
    __u16 lport;         /* 46: host byte order */
    __u16 rport;         /* 48: host byte order */
    __u8 flags;          /* 50: DT_FLAG_* */
    __u8 role;           /* 51: DT_ROLE_* */
    __u32 pad0;          /* 52 */
    __u8 laddr[16];      /* 56: network order; IPv4 in the first 4 bytes */
    __u8 raddr[16];      /* 72 */
    char comm[DT_COMM_LEN]; /* 88 */
    /* 104: payload */
};
#define DT_EVENT_HEADER_SIZE 104

/* Single entry of the `config` array map, written by user space. */
struct dt_config {
    __u32 payload_max;   /* 0: payload prefix limit, <= DT_PAYLOAD_CAP */
    __u32 self_tgid;     /* 4: never traced */
    __u32 filter_flags;  /* 8: DT_FILTER_* */
    __u32 pad0;          /* 12 */
};
#define DT_FILTER_ALL 0x1     /* everything except self_tgid */
#define DT_FILTER_PID 0x2     /* `pids` map is consulted */
#define DT_FILTER_COMM 0x4    /* `comms` map is consulted */
#define DT_FILTER_CGROUP 0x8  /* `cgroups` map is consulted (cgroup v2 ids) */

/* Indices of the per-CPU `counters` array map. */
#define DT_CNT_EVENTS 0       /* records submitted to the ring buffer */
#define DT_CNT_RB_DROPS 1     /* records lost: ring buffer full */
#define DT_CNT_MAP_FULL 2     /* entries lost: per-thread argument map full */
#define DT_CNT_NON_SOCKET 3   /* traced calls skipped: fd not an inet socket */
#define DT_CNT_BYTES 4        /* payload bytes submitted */
#define DT_CNT_MAX 8

#endif
