// SPDX-License-Identifier: GPL-2.0
/*
 * DeepTrace/J capture programs: network syscalls of the traced processes -> `events` ring buffer.
 * Entry programs remember the arguments and the socket's state per thread; exit programs copy the payload
 * prefix and emit one struct dt_event (deeptrace_abi.h). Records are submitted without waking the consumer:
 * user space drains on a short timer (a wake-up per record doubles the cost of the traced syscall).
 */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_core_read.h>
#include <bpf/bpf_tracing.h>
#include <bpf/bpf_endian.h>
#include "deeptrace_abi.h"

char LICENSE[] SEC("license") = "GPL";

#define AF_INET 2
#define AF_INET6 10
#define S_IFMT 00170000
#define S_IFSOCK 0140000
#define IPPROTO_TCP 6
#define IPPROTO_UDP 17
#define EINPROGRESS 115

/* What the entry program learnt, keyed by pid_tgid. */
struct dt_args {
    __u64 enter_ns;
    __u64 buf;          /* data pointer, or iovec array pointer when iovcnt > 0 */
    __u32 iovcnt;       /* 0: flat buffer */
    __s32 fd;
    __u16 syscall;
    __u8 direction;
    __u8 l4;
    __u16 family;
    __u16 lport;
    __u16 rport;
    __u8 flags;
    __u8 valid;         /* set at entry, cleared at exit (task storage is reused, not deleted) */
    __u32 tcp_seq;
    __u8 laddr[16];
    __u8 raddr[16];
    __u64 name;         /* user sockaddr of sendto/recvfrom/sendmsg/recvmsg (the peer of unconnected UDP), or 0 */
};

struct conn_key {
    __u32 tgid;
    __s32 fd;
};

struct {
    __uint(type, BPF_MAP_TYPE_RINGBUF);
    __uint(max_entries, 32 * 1024 * 1024); /* resized by user space before load */
} events SEC(".maps");

/* pid_tgid -> fd of a pending connect/accept4 (-1 for accept4, whose fd is the return value) */
struct {
    __uint(type, BPF_MAP_TYPE_HASH);
    __uint(max_entries, 16384);
    __type(key, __u64);
    __type(value, __s32);
} pending_conn SEC(".maps");

struct {
    __uint(type, BPF_MAP_TYPE_HASH);
    __uint(max_entries, 65536);
    __type(key, struct conn_key);
    __type(value, __u8);
} roles SEC(".maps");

struct {
    __uint(type, BPF_MAP_TYPE_ARRAY);
    __uint(max_entries, 1);
    __type(key, __u32);
    __type(value, struct dt_config);
} settings SEC(".maps");

struct {
    __uint(type, BPF_MAP_TYPE_HASH);
    __uint(max_entries, 1024);
    __type(key, __u32);
    __type(value, __u8);
} pids SEC(".maps");

struct {
    __uint(type, BPF_MAP_TYPE_HASH);
    __uint(max_entries, 256);
    __type(key, char[DT_COMM_LEN]);
    __type(value, __u8);
} comms SEC(".maps");

struct {
    __uint(type, BPF_MAP_TYPE_HASH);
    __uint(max_entries, 256);
    __type(key, __u64);
    __type(value, __u8);
} cgroups SEC(".maps");

struct {
    __uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
    __uint(max_entries, DT_CNT_MAX);
    __type(key, __u32);
    __type(value, __u64);
} counters SEC(".maps");

/* The record being built. The payload area is three caps long so that the verifier can prove that a masked
 * offset (< cap) plus a masked length (< 2 caps) stays inside it. */
struct dt_scratch {
    struct dt_event ev;
    __u8 payload[3 * DT_PAYLOAD_CAP];
};

struct {
    __uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
    __uint(max_entries, 1);
    __type(key, __u32);
    __type(value, struct dt_scratch);
} scratch SEC(".maps");

/* x & mask, kept by the compiler even when it can prove the mask is a no-op: the verifier needs to see it. */
#define VERIFIER_BOUND(x, mask) ({ __u32 __v = (x); asm volatile("" : "+r"(__v)); __v & (mask); })

static __always_inline void count(__u32 idx, __u64 n)
{
    __u64 *v = bpf_map_lookup_elem(&counters, &idx);
    if (v)
        *v += n;
}

static __always_inline struct dt_config *get_config(void)
{
    __u32 zero = 0;
    return bpf_map_lookup_elem(&settings, &zero);
}

static __always_inline bool traced(struct dt_config *cfg, __u32 tgid)
{
    if (!cfg || tgid == cfg->self_tgid)
        return false;
    __u32 f = cfg->filter_flags;
    if (f & DT_FILTER_ALL)
        return true;
    if ((f & DT_FILTER_PID) && bpf_map_lookup_elem(&pids, &tgid))
        return true;
    if (f & DT_FILTER_COMM) {
        char comm[DT_COMM_LEN] = {};
        bpf_get_current_comm(comm, sizeof(comm));
        if (bpf_map_lookup_elem(&comms, comm))
            return true;
    }
    if (f & DT_FILTER_CGROUP) {
        __u64 cg = bpf_get_current_cgroup_id();
        if (bpf_map_lookup_elem(&cgroups, &cg))
            return true;
    }
    return false;
}

/* Typed view of a kernel pointer: field reads become direct (fault-checked) loads instead of helper calls. */
extern void *bpf_rdonly_cast(const void *obj, __u32 btf_id) __ksym;

/* fd -> struct sock of an inet socket through the task's fd table, or NULL. */
static __always_inline struct sock *inet_sock_of(int fd)
{
    if (fd < 0)
        return NULL;
    struct task_struct *task = bpf_get_current_task_btf();
    struct files_struct *files = task->files;
    if (!files)
        return NULL;
    struct fdtable *fdt = files->fdt;
    if (!fdt || (unsigned int)fd >= fdt->max_fds)
        return NULL;
    struct file **fds = fdt->fd;
    struct file *file = NULL;
    if (bpf_probe_read_kernel(&file, sizeof(file), &fds[fd]) || !file)
        return NULL;
    file = bpf_rdonly_cast(file, bpf_core_type_id_kernel(struct file));
    struct inode *inode = file->f_inode;
    if (!inode || (inode->i_mode & S_IFMT) != S_IFSOCK)
        return NULL;
    void *priv = file->private_data;
    if (!priv)
        return NULL;
    struct socket *sock = bpf_rdonly_cast(priv, bpf_core_type_id_kernel(struct socket));
    return sock->sk;
}

/* Fills the socket part of `a`; false when the socket is not TCP/UDP over IPv4/IPv6. */
static __always_inline bool read_socket(struct sock *sk, struct dt_args *a)
{
    if (!sk)
        return false;
    __u16 family = sk->__sk_common.skc_family;
    if (family != AF_INET && family != AF_INET6)
        return false;
    __u16 proto = sk->sk_protocol;
    if (proto != IPPROTO_TCP && proto != IPPROTO_UDP)
        return false;
    a->family = family;
    a->l4 = proto;
    a->lport = sk->__sk_common.skc_num;
    a->rport = bpf_ntohs(sk->__sk_common.skc_dport);
    if (family == AF_INET) {
        __u32 l = sk->__sk_common.skc_rcv_saddr;
        __u32 r = sk->__sk_common.skc_daddr;
        __builtin_memcpy(a->laddr, &l, 4);
        __builtin_memcpy(a->raddr, &r, 4);
    } else {
        BPF_CORE_READ_INTO(&a->laddr, sk, __sk_common.skc_v6_rcv_saddr.in6_u.u6_addr8);
        BPF_CORE_READ_INTO(&a->raddr, sk, __sk_common.skc_v6_daddr.in6_u.u6_addr8);
    }
    if (proto == IPPROTO_TCP) {
        struct tcp_sock *tp = bpf_rdonly_cast(sk, bpf_core_type_id_kernel(struct tcp_sock));
        a->tcp_seq = a->direction == DT_DIR_INGRESS ? tp->copied_seq : tp->write_seq;
        a->flags |= DT_FLAG_HAS_SEQ;
    }
    return true;
}

/*
 * TLS: uprobes on OpenSSL's SSL_read/SSL_write(_ex) remember the plaintext buffer per thread; the socket is
 * learnt from the read/write syscall OpenSSL makes inside the call, and kept per SSL object for calls that are
 * served from OpenSSL's own buffer without a syscall.
 */
struct dt_ssl_call {
    __u64 enter_ns;
    __u64 ssl;
    __u64 buf;
    __u64 out_len;      /* size_t * of the _ex variants, else 0 */
    __u16 syscall;
    __u8 direction;
    __u8 has_sock;
    __u8 active;        /* between SSL_* entry and return */
    __u8 pad[3];
    struct dt_args sock; /* socket part of the inner syscall */
};

/*
 * Per-thread state: the arguments of the network syscall in progress (entry -> exit) and the SSL_* call in
 * progress (uprobe -> uretprobe). Task-local storage, cheaper than a hash keyed by tid; one storage for both, so
 * that a syscall entry finds the SSL call it may be part of without a second lookup.
 */
struct dt_task {
    struct dt_args args;
    struct dt_ssl_call ssl;
};

struct {
    __uint(type, BPF_MAP_TYPE_TASK_STORAGE);
    __uint(map_flags, BPF_F_NO_PREALLOC);
    __type(key, int);
    __type(value, struct dt_task);
} tasks SEC(".maps");

struct {
    __uint(type, BPF_MAP_TYPE_LRU_HASH);
    __uint(max_entries, 16384);
    __type(key, __u64);
    __type(value, struct dt_args);
} ssl_socks SEC(".maps");

static __always_inline int on_enter(int fd, __u64 buf, __u32 iovcnt, __u64 name, __u16 sys, __u8 dir)
{
    __u64 id = bpf_get_current_pid_tgid();
    struct dt_config *cfg = get_config();
    if (!traced(cfg, id >> 32))
        return 0;
    struct sock *sk = inet_sock_of(fd);
    if (!sk) {
        count(DT_CNT_NON_SOCKET, 1);
        return 0;
    }
    struct dt_args a = {};
    a.enter_ns = bpf_ktime_get_ns();
    a.buf = buf;
    a.iovcnt = iovcnt;
    a.fd = fd;
    a.name = name;
    a.syscall = sys;
    a.direction = dir;
    if (!read_socket(sk, &a)) {
        count(DT_CNT_NON_SOCKET, 1);
        return 0;
    }
    struct dt_task *t = bpf_task_storage_get(&tasks, bpf_get_current_task_btf(), 0, BPF_LOCAL_STORAGE_GET_F_CREATE);
    if (!t) {
        count(DT_CNT_MAP_FULL, 1);
        return 0;
    }
    struct dt_ssl_call *tls = &t->ssl;
    if (tls->active && !tls->has_sock) {
        tls->sock = a;
        tls->has_sock = 1;
        bpf_map_update_elem(&ssl_socks, &tls->ssl, &a, BPF_ANY);
    }
    a.valid = 1;
    t->args = a;
    return 0;
}

/* Copies up to `want` bytes of a flat buffer or an iovec array into s->payload; returns bytes copied. */
static __always_inline __u32 copy_payload(struct dt_scratch *s, struct dt_args *a, __u32 want)
{
    if (want > DT_PAYLOAD_CAP)
        want = DT_PAYLOAD_CAP;
    if (a->iovcnt == 0) {
        __u32 w = VERIFIER_BOUND(want, 2 * DT_PAYLOAD_CAP - 1); /* no-op (want <= cap): the verifier's bound */
        if (bpf_probe_read_user(s->payload, w, (void *)a->buf))
            return 0;
        return w;
    }
    __u32 off = 0;
    struct iovec *iov = (struct iovec *)a->buf;
    for (int i = 0; i < DT_MAX_IOV; i++) {
        if (i >= a->iovcnt || off >= want)
            break;
        struct iovec v;
        if (bpf_probe_read_user(&v, sizeof(v), &iov[i]))
            break;
        __u64 n = v.iov_len;
        if (n > want - off)
            n = want - off;
        /* no-op masks (off < want <= cap, n <= cap) that give the verifier its bounds */
        __u32 o = VERIFIER_BOUND(off, DT_PAYLOAD_CAP - 1);
        __u32 m = VERIFIER_BOUND((__u32)n, 2 * DT_PAYLOAD_CAP - 1);
        if (m && bpf_probe_read_user(s->payload + o, m, v.iov_base))
            break;
        off += n;
    }
    return off;
}

/*
 * The peer of an unconnected UDP socket is not in the socket but in the call's own address: sendto/sendmsg name
 * the destination, recvfrom/recvmsg receive the source into the caller's buffer by the time the call returns.
 * Read at exit, it overrides the socket's (all-zero) remote end; connected sockets and TCP keep the socket's.
 */
static __always_inline void peer_from_name(struct dt_args *a, __u64 name)
{
    if (!name || a->l4 != IPPROTO_UDP)
        return;
    __u16 family = 0;
    if (bpf_probe_read_user(&family, sizeof(family), (void *)name) || family != a->family)
        return;
    if (family == AF_INET) {
        struct sockaddr_in v4 = {}; /* read no more than the caller's buffer holds */
        if (bpf_probe_read_user(&v4, sizeof(v4), (void *)name))
            return;
        a->rport = bpf_ntohs(v4.sin_port);
        __builtin_memset(a->raddr, 0, 16);
        __builtin_memcpy(a->raddr, &v4.sin_addr.s_addr, 4);
    } else {
        struct sockaddr_in6 v6 = {};
        if (bpf_probe_read_user(&v6, sizeof(v6), (void *)name))
            return;
        a->rport = bpf_ntohs(v6.sin6_port);
        __builtin_memcpy(a->raddr, v6.sin6_addr.in6_u.u6_addr8, 16);
    }
}

static __always_inline __u8 role_of(__u32 tgid, int fd)
{
    struct conn_key k = { .tgid = tgid, .fd = fd };
    __u8 *r = bpf_map_lookup_elem(&roles, &k);
    return r ? *r : DT_ROLE_UNKNOWN;
}

/* Fills every byte of the header from the remembered arguments (reserved ring-buffer memory is not zeroed). */
static __always_inline void fill_header(struct dt_event *e, struct dt_args *a, __u64 id, __u32 size, __u32 got,
                                        __u32 seq)
{
    e->enter_ns = a->enter_ns;
    e->exit_ns = bpf_ktime_get_ns();
    e->tgid = id >> 32;
    e->tid = (__u32)id;
    e->fd = a->fd;
    e->size = size;
    e->captured = got;
    e->tcp_seq = seq;
    e->syscall = a->syscall;
    e->direction = a->direction;
    e->l4 = a->l4;
    e->family = a->family;
    e->lport = a->lport;
    e->rport = a->rport;
    e->flags = a->flags;
    e->role = role_of(e->tgid, a->fd);
    e->pad0 = 0;
    __builtin_memcpy(e->laddr, a->laddr, 16);
    __builtin_memcpy(e->raddr, a->raddr, 16);
    bpf_get_current_comm(e->comm, sizeof(e->comm));
}

static __always_inline void submitted(__u32 got)
{
    count(DT_CNT_EVENTS, 1);
    count(DT_CNT_BYTES, got);
}

/* Vectored payloads (built in the per-CPU scratch record): header + `got` bytes copied into the ring buffer. */
static __always_inline void emit(struct dt_scratch *s, struct dt_args *a, __u64 id, __u32 size, __u32 got,
                                 __u32 seq)
{
    fill_header(&s->ev, a, id, size, got, seq);
    __u64 len = sizeof(struct dt_event) + got;
    if (len > sizeof(struct dt_event) + DT_PAYLOAD_CAP)
        return;
    if (bpf_ringbuf_output(&events, s, len, BPF_RB_NO_WAKEUP))
        count(DT_CNT_RB_DROPS, 1);
    else
        submitted(got);
}

/*
 * Flat payloads (read, write, sendto, recvfrom, SSL_*): the record is reserved in the ring buffer and the payload
 * read from user memory straight into it, one copy instead of two (scratch, then bpf_ringbuf_output). A
 * reservation has a constant size, so the payload area is the smallest size class that holds the prefix
 * (DT_PAYLOAD_CLASSES); the record's `captured` says how much of it is payload.
 */
#define EMIT_FLAT_CLASS(cls)                                                              \
    do {                                                                                  \
        struct dt_event *e = bpf_ringbuf_reserve(&events, sizeof(struct dt_event) + (cls), 0); \
        if (!e) {                                                                         \
            count(DT_CNT_RB_DROPS, 1);                                                    \
            return;                                                                       \
        }                                                                                 \
        __u64 w = want;                                                                   \
        /* a no-op (want <= cls) that the compiler cannot drop: the verifier's bound */   \
        asm volatile("if %[w] <= %[c] goto +1\n\t%[w] = %[c]" : [w] "+r"(w) : [c] "i"(cls)); \
        __u32 got = bpf_probe_read_user((void *)(e + 1), w, (void *)a->buf) ? 0 : (__u32)w; \
        fill_header(e, a, id, size, got, seq);                                            \
        bpf_ringbuf_submit(e, BPF_RB_NO_WAKEUP);                                          \
        submitted(got);                                                                   \
        return;                                                                           \
    } while (0)

static __always_inline void emit_flat(struct dt_args *a, __u64 id, __u32 size, __u32 want, __u32 seq)
{
    if (want > DT_PAYLOAD_CAP)
        want = DT_PAYLOAD_CAP;
    if (want <= 64)
        EMIT_FLAT_CLASS(64);
    if (want <= 256)
        EMIT_FLAT_CLASS(256);
    if (want <= 1024)
        EMIT_FLAT_CLASS(1024);
    if (want <= 2048)
        EMIT_FLAT_CLASS(2048);
    if (want <= 4096)
        EMIT_FLAT_CLASS(4096);
    EMIT_FLAT_CLASS(DT_PAYLOAD_CAP);
}

static __always_inline int on_exit(long ret)
{
    __u64 id = bpf_get_current_pid_tgid();
    struct dt_task *t = bpf_task_storage_get(&tasks, bpf_get_current_task_btf(), 0, 0);
    if (!t || !t->args.valid)
        return 0;
    struct dt_args *a = &t->args;
    if (ret <= 0)
        goto out;
    struct dt_config *cfg = get_config();
    if (!cfg)
        goto out;
    __u32 limit = cfg->payload_max;
    __u32 want = ret < limit ? (__u32)ret : limit;
    peer_from_name(a, a->name);
    if (a->iovcnt == 0) {
        emit_flat(a, id, (__u32)ret, want, a->tcp_seq);
        goto out;
    }
    __u32 zero = 0;
    struct dt_scratch *s = bpf_map_lookup_elem(&scratch, &zero);
    if (!s)
        goto out;
    __u32 got = copy_payload(s, a, want);
    emit(s, a, id, (__u32)ret, got, a->tcp_seq);
out:
    a->valid = 0;
    return 0;
}

/* recvmmsg/sendmmsg: `ret` messages, one record each; a->buf is the struct mmsghdr array. */
static __always_inline int on_exit_mmsg(long ret)
{
    __u64 id = bpf_get_current_pid_tgid();
    struct dt_task *t = bpf_task_storage_get(&tasks, bpf_get_current_task_btf(), 0, 0);
    if (!t || !t->args.valid)
        return 0;
    struct dt_args *a = &t->args;
    if (ret <= 0)
        goto out;
    struct dt_config *cfg = get_config();
    __u32 zero = 0;
    struct dt_scratch *s = bpf_map_lookup_elem(&scratch, &zero);
    if (!cfg || !s)
        goto out;
    struct dt_args m = *a;
    struct mmsghdr *vec = (struct mmsghdr *)a->buf;
    __u32 seq = a->tcp_seq;
    for (int i = 0; i < DT_MAX_MMSG; i++) {
        if (i >= ret)
            break;
        struct mmsghdr h;
        if (bpf_probe_read_user(&h, sizeof(h), &vec[i]))
            break;
        m.buf = (__u64)h.msg_hdr.msg_iov;
        m.iovcnt = (__u32)h.msg_hdr.msg_iovlen;
        if (!m.iovcnt)
            m.iovcnt = 1; /* copy_payload's flat case must not read msg_iov as data */
        __u32 len = h.msg_len;
        __u32 limit = cfg->payload_max;
        __u32 got = h.msg_hdr.msg_iovlen ? copy_payload(s, &m, len < limit ? len : limit) : 0;
        struct dt_args peer = m;
        peer_from_name(&peer, (__u64)h.msg_hdr.msg_name);
        emit(s, &peer, id, len, got, seq);
        seq += len;
    }
out:
    a->valid = 0;
    return 0;
}

#define ENTER_FLAT(name, sys, dir)                                              \
    SEC("tracepoint/syscalls/sys_enter_" #name)                                 \
    int sys_enter_##name(struct trace_event_raw_sys_enter *ctx)                 \
    {                                                                           \
        return on_enter((int)ctx->args[0], ctx->args[1], 0, 0, sys, dir);       \
    }                                                                           \
    SEC("tracepoint/syscalls/sys_exit_" #name)                                  \
    int sys_exit_##name(struct trace_event_raw_sys_exit *ctx)                   \
    {                                                                           \
        return on_exit(ctx->ret);                                               \
    }

#define ENTER_IOV(name, sys, dir)                                               \
    SEC("tracepoint/syscalls/sys_enter_" #name)                                 \
    int sys_enter_##name(struct trace_event_raw_sys_enter *ctx)                 \
    {                                                                           \
        __u32 cnt = (__u32)ctx->args[2];                                        \
        return on_enter((int)ctx->args[0], ctx->args[1], cnt ? cnt : 1, 0, sys, dir); \
    }                                                                           \
    SEC("tracepoint/syscalls/sys_exit_" #name)                                  \
    int sys_exit_##name(struct trace_event_raw_sys_exit *ctx)                   \
    {                                                                           \
        return on_exit(ctx->ret);                                               \
    }

/* sendmsg/recvmsg: the iovecs come from the user's struct msghdr. */
#define ENTER_MSG(name, sys, dir)                                               \
    SEC("tracepoint/syscalls/sys_enter_" #name)                                 \
    int sys_enter_##name(struct trace_event_raw_sys_enter *ctx)                 \
    {                                                                           \
        struct user_msghdr m = {};                                              \
        if (bpf_probe_read_user(&m, sizeof(m), (void *)ctx->args[1]))           \
            return 0;                                                           \
        __u32 cnt = (__u32)m.msg_iovlen;                                        \
        if (!cnt)                                                               \
            return 0;                                                           \
        return on_enter((int)ctx->args[0], (__u64)m.msg_iov, cnt, (__u64)m.msg_name, sys, dir); \
    }                                                                           \
    SEC("tracepoint/syscalls/sys_exit_" #name)                                  \
    int sys_exit_##name(struct trace_event_raw_sys_exit *ctx)                   \
    {                                                                           \
        return on_exit(ctx->ret);                                               \
    }

ENTER_FLAT(read, DT_SYS_READ, DT_DIR_INGRESS)
ENTER_FLAT(write, DT_SYS_WRITE, DT_DIR_EGRESS)

/* recvfrom/sendto: the fifth argument is the peer's address (unconnected UDP), or NULL. */
#define ENTER_ADDR(name, sys, dir)                                              \
    SEC("tracepoint/syscalls/sys_enter_" #name)                                 \
    int sys_enter_##name(struct trace_event_raw_sys_enter *ctx)                 \
    {                                                                           \
        return on_enter((int)ctx->args[0], ctx->args[1], 0, ctx->args[4], sys, dir); \
    }                                                                           \
    SEC("tracepoint/syscalls/sys_exit_" #name)                                  \
    int sys_exit_##name(struct trace_event_raw_sys_exit *ctx)                   \
    {                                                                           \
        return on_exit(ctx->ret);                                               \
    }

ENTER_ADDR(recvfrom, DT_SYS_RECVFROM, DT_DIR_INGRESS)
ENTER_ADDR(sendto, DT_SYS_SENDTO, DT_DIR_EGRESS)
ENTER_IOV(readv, DT_SYS_READV, DT_DIR_INGRESS)
ENTER_IOV(writev, DT_SYS_WRITEV, DT_DIR_EGRESS)
ENTER_MSG(recvmsg, DT_SYS_RECVMSG, DT_DIR_INGRESS)
ENTER_MSG(sendmsg, DT_SYS_SENDMSG, DT_DIR_EGRESS)

/* recvmmsg/sendmmsg: the entry remembers the mmsghdr array; the exit emits one record per message. */
#define ENTER_MMSG(name, sys, dir)                                              \
    SEC("tracepoint/syscalls/sys_enter_" #name)                                 \
    int sys_enter_##name(struct trace_event_raw_sys_enter *ctx)                 \
    {                                                                           \
        __u32 vlen = (__u32)ctx->args[2];                                       \
        if (!vlen)                                                              \
            return 0;                                                           \
        return on_enter((int)ctx->args[0], ctx->args[1], vlen, 0, sys, dir);    \
    }                                                                           \
    SEC("tracepoint/syscalls/sys_exit_" #name)                                  \
    int sys_exit_##name(struct trace_event_raw_sys_exit *ctx)                   \
    {                                                                           \
        return on_exit_mmsg(ctx->ret);                                          \
    }

ENTER_MMSG(recvmmsg, DT_SYS_RECVMMSG, DT_DIR_INGRESS)
ENTER_MMSG(sendmmsg, DT_SYS_SENDMMSG, DT_DIR_EGRESS)

/* Socket life-cycle: connect marks a client, accept4 a server, close forgets. */
static __always_inline int remember_conn(__s32 fd)
{
    __u64 id = bpf_get_current_pid_tgid();
    if (!traced(get_config(), id >> 32))
        return 0;
    bpf_map_update_elem(&pending_conn, &id, &fd, BPF_ANY);
    return 0;
}

static __always_inline int learn_role(long ret, bool accept)
{
    __u64 id = bpf_get_current_pid_tgid();
    __s32 *fdp = bpf_map_lookup_elem(&pending_conn, &id);
    if (!fdp)
        return 0;
    struct conn_key k = { .tgid = id >> 32 };
    __u8 role;
    if (accept) {
        k.fd = (__s32)ret;
        role = DT_ROLE_SERVER;
    } else {
        k.fd = *fdp;
        role = DT_ROLE_CLIENT;
    }
    bpf_map_delete_elem(&pending_conn, &id);
    if (ret < 0 && !(!accept && ret == -EINPROGRESS))
        return 0;
    bpf_map_update_elem(&roles, &k, &role, BPF_ANY);
    return 0;
}

SEC("tracepoint/syscalls/sys_enter_connect")
int sys_enter_connect(struct trace_event_raw_sys_enter *ctx)
{
    return remember_conn((__s32)ctx->args[0]);
}

SEC("tracepoint/syscalls/sys_exit_connect")
int sys_exit_connect(struct trace_event_raw_sys_exit *ctx)
{
    return learn_role(ctx->ret, false);
}

SEC("tracepoint/syscalls/sys_enter_accept4")
int sys_enter_accept4(struct trace_event_raw_sys_enter *ctx)
{
    return remember_conn(-1);
}

SEC("tracepoint/syscalls/sys_exit_accept4")
int sys_exit_accept4(struct trace_event_raw_sys_exit *ctx)
{
    return learn_role(ctx->ret, true);
}

SEC("tracepoint/syscalls/sys_enter_close")
int sys_enter_close(struct trace_event_raw_sys_enter *ctx)
{
    struct conn_key k = { .tgid = bpf_get_current_pid_tgid() >> 32, .fd = (__s32)ctx->args[0] };
    bpf_map_delete_elem(&roles, &k);
    return 0;
}

static __always_inline int ssl_enter(struct pt_regs *ctx, __u16 sys, __u8 dir, bool ex)
{
    __u64 id = bpf_get_current_pid_tgid();
    if (!traced(get_config(), id >> 32))
        return 0;
    struct dt_ssl_call c = {};
    c.enter_ns = bpf_ktime_get_ns();
    c.ssl = PT_REGS_PARM1(ctx);
    c.buf = PT_REGS_PARM2(ctx);
    c.out_len = ex ? PT_REGS_PARM4(ctx) : 0;
    c.syscall = sys;
    c.direction = dir;
    c.active = 1;
    struct dt_task *t = bpf_task_storage_get(&tasks, bpf_get_current_task_btf(), 0, BPF_LOCAL_STORAGE_GET_F_CREATE);
    if (!t) {
        count(DT_CNT_MAP_FULL, 1);
        return 0;
    }
    t->ssl = c;
    return 0;
}

static __always_inline int ssl_exit(struct pt_regs *ctx)
{
    __u64 id = bpf_get_current_pid_tgid();
    struct dt_task *t = bpf_task_storage_get(&tasks, bpf_get_current_task_btf(), 0, 0);
    if (!t || !t->ssl.active)
        return 0;
    struct dt_ssl_call *c = &t->ssl;
    long ret = PT_REGS_RC(ctx);
    long n = ret;
    if (c->out_len) {
        size_t done = 0;
        if (ret != 1 || bpf_probe_read_user(&done, sizeof(done), (void *)c->out_len))
            goto out;
        n = (long)done;
    }
    if (n <= 0)
        goto out;
    struct dt_args a;
    if (c->has_sock) {
        a = c->sock;
    } else {
        struct dt_args *known = bpf_map_lookup_elem(&ssl_socks, &c->ssl);
        if (!known)
            goto out; /* socket never seen: no addresses to report */
        a = *known;
    }
    a.enter_ns = c->enter_ns;
    a.buf = c->buf;
    a.iovcnt = 0;
    a.syscall = c->syscall;
    a.direction = c->direction;
    a.flags &= ~DT_FLAG_HAS_SEQ; /* plaintext offsets are not TCP sequence numbers */
    struct dt_config *cfg = get_config();
    if (!cfg)
        goto out;
    __u32 limit = cfg->payload_max;
    emit_flat(&a, id, (__u32)n, n < limit ? (__u32)n : limit, 0);
out:
    c->active = 0;
    return 0;
}

SEC("uprobe")
int BPF_KPROBE(uprobe_ssl_read)
{
    return ssl_enter(ctx, DT_SYS_SSL_READ, DT_DIR_INGRESS, false);
}

SEC("uprobe")
int BPF_KPROBE(uprobe_ssl_read_ex)
{
    return ssl_enter(ctx, DT_SYS_SSL_READ, DT_DIR_INGRESS, true);
}

SEC("uprobe")
int BPF_KPROBE(uprobe_ssl_write)
{
    return ssl_enter(ctx, DT_SYS_SSL_WRITE, DT_DIR_EGRESS, false);
}

SEC("uprobe")
int BPF_KPROBE(uprobe_ssl_write_ex)
{
    return ssl_enter(ctx, DT_SYS_SSL_WRITE, DT_DIR_EGRESS, true);
}

SEC("uretprobe")
int BPF_KRETPROBE(uretprobe_ssl)
{
    return ssl_exit(ctx);
}
