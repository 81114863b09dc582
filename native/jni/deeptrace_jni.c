/*
 * JNI bridge between org.deeptrace.capture.ebpf.internal.NativeBridge and libbpf: load the BPF object from
 * bytes, attach the requested programs, update the filter maps, drain the ring buffer into a direct
 * ByteBuffer in batches, read the counters, detach.
 *
 * Batch format written by poll(): for each record, a u32 length (little endian, host order) followed by the
 * record (struct dt_event + payload), padded to 8 bytes.
 */
#include <errno.h>
#include <jni.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <unistd.h>
#include <stddef.h>
#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include <linux/types.h>
#include "deeptrace_abi.h"

#define MAX_LINKS 256
#define NATIVE_EXCEPTION "org/deeptrace/capture/ebpf/internal/NativeException"

struct dt_handle {
    struct bpf_object *obj;
    void *obj_buf; /* the ELF bytes: libbpf reads them until the object is closed */
    struct ring_buffer *rb;
    struct bpf_link *links[MAX_LINKS];
    int nlinks;
    /* destination of the current poll() */
    unsigned char *dst;
    size_t cap;
    size_t pos;
    int full;
    long long user_drops;
    char log[2048];
};

static void throw_native(JNIEnv *env, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

#include <stdarg.h>
static void throw_native(JNIEnv *env, const char *fmt, ...)
{
    char msg[4096];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof(msg), fmt, ap);
    va_end(ap);
    jclass cls = (*env)->FindClass(env, NATIVE_EXCEPTION);
    if (!cls)
        return; /* NoClassDefFoundError pending */
    (*env)->ThrowNew(env, cls, msg);
}

/* libbpf prints warnings through this; keep the last lines for error messages instead of spamming stderr. */
static __thread struct dt_handle *log_target;
static int print_fn(enum libbpf_print_level level, const char *fmt, va_list ap)
{
    if (level == LIBBPF_DEBUG || !log_target)
        return 0;
    /* one message can be a whole verifier log (tens of KiB): its end says what failed, keep that */
    static __thread char line[64 * 1024];
    int r = vsnprintf(line, sizeof(line), fmt, ap);
    if (r <= 0)
        return 0;
    size_t cap = sizeof(log_target->log) - 1;
    size_t n = strlen(line);
    const char *add = line;
    if (n > cap) {
        add += n - cap;
        n = cap;
    }
    size_t used = strlen(log_target->log);
    if (used + n > cap) {
        /* keep the tail of what was logged before: drop its oldest bytes */
        size_t drop = used + n - cap;
        memmove(log_target->log, log_target->log + drop, used - drop);
        used -= drop;
    }
    memcpy(log_target->log + used, add, n);
    log_target->log[used + n] = 0;
    return r;
}

static const char *tracefs_events(void)
{
    static const char *paths[] = {"/sys/kernel/tracing/events/syscalls", "/sys/kernel/debug/tracing/events/syscalls"};
    struct stat st;
    for (unsigned i = 0; i < sizeof(paths) / sizeof(paths[0]); i++)
        if (stat(paths[i], &st) == 0)
            return paths[i];
    return NULL;
}

JNIEXPORT jstring JNICALL Java_org_deeptrace_capture_ebpf_internal_NativeBridge_ensureTracefs(JNIEnv *env, jclass cls)
{
    const char *p = tracefs_events();
    if (p)
        return (*env)->NewStringUTF(env, p);
    if (mount("nodev", "/sys/kernel/tracing", "tracefs", 0, NULL) != 0 && errno != EBUSY) {
        throw_native(env, "tracefs is not mounted and mounting it on /sys/kernel/tracing failed: %s "
                          "(mount -t tracefs nodev /sys/kernel/tracing as root)", strerror(errno));
        return NULL;
    }
    p = tracefs_events();
    if (!p) {
        throw_native(env, "tracefs has no events/syscalls: the kernel lacks syscall tracepoints (CONFIG_FTRACE_SYSCALLS)");
        return NULL;
    }
    return (*env)->NewStringUTF(env, p);
}

static int on_sample(void *ctx, void *data, size_t len)
{
    struct dt_handle *h = ctx;
    if (len >= DT_EVENT_HEADER_SIZE) {
        /* a reserved record's payload area can be longer than its payload: copy header + captured only */
        __u32 captured;
        memcpy(&captured, (unsigned char *)data + offsetof(struct dt_event, captured), 4);
        if (DT_EVENT_HEADER_SIZE + (size_t)captured < len)
            len = DT_EVENT_HEADER_SIZE + (size_t)captured;
    }
    size_t need = (4 + len + 7) & ~(size_t)7; /* EventDecoder.align(4 + len) */
    if (h->pos + need > h->cap) {
        /* cannot happen while the room check below holds; counted rather than lost silently */
        h->user_drops++;
        h->full = 1;
        return -1;
    }
    __u32 l = (__u32)len;
    memcpy(h->dst + h->pos, &l, 4);
    memcpy(h->dst + h->pos + 4, data, len);
    h->pos += need;
    /* stop before a record could not fit; libbpf has already consumed this one */
    if (h->cap - h->pos < 4 + DT_EVENT_HEADER_SIZE + DT_PAYLOAD_CAP + 16) {
        h->full = 1;
        return -1;
    }
    return 0;
}

JNIEXPORT jlong JNICALL Java_org_deeptrace_capture_ebpf_internal_NativeBridge_open(JNIEnv *env, jclass cls,
        jbyteArray object, jint ringBytes)
{
    struct dt_handle *h = calloc(1, sizeof(*h));
    if (!h) {
        throw_native(env, "out of memory");
        return 0;
    }
    log_target = h;
    libbpf_set_print(print_fn);
    jsize n = (*env)->GetArrayLength(env, object);
    h->obj_buf = malloc(n > 0 ? (size_t)n : 1);
    if (!h->obj_buf) {
        throw_native(env, "out of memory");
        goto fail;
    }
    (*env)->GetByteArrayRegion(env, object, 0, n, (jbyte *)h->obj_buf);
    LIBBPF_OPTS(bpf_object_open_opts, opts, .object_name = "deeptrace");
    h->obj = bpf_object__open_mem(h->obj_buf, (size_t)n, &opts);
    int err = libbpf_get_error(h->obj);
    if (err) {
        h->obj = NULL;
        throw_native(env, "opening the BPF object failed: %s; %s", strerror(-err), h->log);
        goto fail;
    }
    struct bpf_map *events = bpf_object__find_map_by_name(h->obj, "events");
    if (!events || bpf_map__set_max_entries(events, (__u32)ringBytes)) {
        throw_native(env, "ring buffer size %d rejected (a power of two multiple of the page size)", ringBytes);
        goto fail;
    }
    err = bpf_object__load(h->obj);
    if (err) {
        throw_native(env, "loading the BPF programs failed: %s (needs root or CAP_BPF+CAP_PERFMON, and kernel BTF "
                          "at /sys/kernel/btf/vmlinux); libbpf: %s", strerror(-err), h->log);
        goto fail;
    }
    h->rb = ring_buffer__new(bpf_map__fd(events), on_sample, h, NULL);
    if (!h->rb) {
        throw_native(env, "creating the ring buffer consumer failed: %s", strerror(errno));
        goto fail;
    }
    log_target = NULL;
    return (jlong)(intptr_t)h;
fail:
    log_target = NULL;
    if (h->obj)
        bpf_object__close(h->obj);
    free(h->obj_buf);
    free(h);
    return 0;
}

JNIEXPORT jint JNICALL Java_org_deeptrace_capture_ebpf_internal_NativeBridge_attach(JNIEnv *env, jclass cls,
        jlong handle, jstring name)
{
    struct dt_handle *h = (struct dt_handle *)(intptr_t)handle;
    const char *n = (*env)->GetStringUTFChars(env, name, NULL);
    struct bpf_program *prog = bpf_object__find_program_by_name(h->obj, n);
    if (!prog) {
        throw_native(env, "no BPF program named %s", n);
        (*env)->ReleaseStringUTFChars(env, name, n);
        return -1;
    }
    if (h->nlinks >= MAX_LINKS) {
        throw_native(env, "too many programs attached (%d)", MAX_LINKS);
        (*env)->ReleaseStringUTFChars(env, name, n);
        return -1;
    }
    h->log[0] = 0;
    log_target = h;
    struct bpf_link *link = bpf_program__attach(prog);
    log_target = NULL;
    int err = libbpf_get_error(link);
    if (err) {
        throw_native(env, "attaching %s failed: %s; %s", n, strerror(-err), h->log);
        (*env)->ReleaseStringUTFChars(env, name, n);
        return -1;
    }
    (*env)->ReleaseStringUTFChars(env, name, n);
    h->links[h->nlinks++] = link;
    return bpf_program__fd(prog);
}

/* Attaches `program` as a uprobe (or uretprobe) on `function` of the ELF file `binary`, for every process. */
JNIEXPORT jint JNICALL Java_org_deeptrace_capture_ebpf_internal_NativeBridge_attachUprobe(JNIEnv *env, jclass cls,
        jlong handle, jstring program, jstring binary, jstring function, jboolean retprobe)
{
    struct dt_handle *h = (struct dt_handle *)(intptr_t)handle;
    const char *n = (*env)->GetStringUTFChars(env, program, NULL);
    const char *path = (*env)->GetStringUTFChars(env, binary, NULL);
    const char *fn = (*env)->GetStringUTFChars(env, function, NULL);
    int result = -1;
    struct bpf_program *prog = bpf_object__find_program_by_name(h->obj, n);
    if (!prog) {
        throw_native(env, "no BPF program named %s", n);
    } else if (h->nlinks >= MAX_LINKS) {
        throw_native(env, "too many programs attached (%d)", MAX_LINKS);
    } else {
        LIBBPF_OPTS(bpf_uprobe_opts, opts, .func_name = fn, .retprobe = retprobe);
        h->log[0] = 0;
        log_target = h;
        struct bpf_link *link = bpf_program__attach_uprobe_opts(prog, -1, path, 0, &opts);
        log_target = NULL;
        int err = libbpf_get_error(link);
        if (err) {
            throw_native(env, "attaching %s to %s:%s failed: %s; %s", n, path, fn, strerror(-err), h->log);
        } else {
            h->links[h->nlinks++] = link;
            result = bpf_program__fd(prog);
        }
    }
    (*env)->ReleaseStringUTFChars(env, program, n);
    (*env)->ReleaseStringUTFChars(env, binary, path);
    (*env)->ReleaseStringUTFChars(env, function, fn);
    return result;
}

static int map_fd(JNIEnv *env, struct dt_handle *h, const char *name)
{
    struct bpf_map *m = bpf_object__find_map_by_name(h->obj, name);
    if (!m) {
        throw_native(env, "no BPF map named %s", name);
        return -1;
    }
    return bpf_map__fd(m);
}

JNIEXPORT void JNICALL Java_org_deeptrace_capture_ebpf_internal_NativeBridge_configure(JNIEnv *env, jclass cls,
        jlong handle, jint payloadMax, jint selfTgid, jint filterFlags)
{
    struct dt_handle *h = (struct dt_handle *)(intptr_t)handle;
    int fd = map_fd(env, h, "settings");
    if (fd < 0)
        return;
    struct dt_config c = {.payload_max = (__u32)payloadMax, .self_tgid = (__u32)selfTgid,
                          .filter_flags = (__u32)filterFlags};
    __u32 zero = 0;
    if (bpf_map_update_elem(fd, &zero, &c, BPF_ANY))
        throw_native(env, "updating the settings map failed: %s", strerror(errno));
}

static void update_set(JNIEnv *env, struct dt_handle *h, const char *map, const void *key, jboolean add)
{
    int fd = map_fd(env, h, map);
    if (fd < 0)
        return;
    __u8 one = 1;
    if (add) {
        if (bpf_map_update_elem(fd, key, &one, BPF_ANY))
            throw_native(env, "adding to the %s filter failed: %s", map, strerror(errno));
    } else if (bpf_map_delete_elem(fd, key) && errno != ENOENT) {
        throw_native(env, "removing from the %s filter failed: %s", map, strerror(errno));
    }
}

JNIEXPORT void JNICALL Java_org_deeptrace_capture_ebpf_internal_NativeBridge_filterPid(JNIEnv *env, jclass cls,
        jlong handle, jint pid, jboolean add)
{
    __u32 k = (__u32)pid;
    update_set(env, (struct dt_handle *)(intptr_t)handle, "pids", &k, add);
}

JNIEXPORT void JNICALL Java_org_deeptrace_capture_ebpf_internal_NativeBridge_filterCgroup(JNIEnv *env, jclass cls,
        jlong handle, jlong id, jboolean add)
{
    __u64 k = (__u64)id;
    update_set(env, (struct dt_handle *)(intptr_t)handle, "cgroups", &k, add);
}

JNIEXPORT void JNICALL Java_org_deeptrace_capture_ebpf_internal_NativeBridge_filterComm(JNIEnv *env, jclass cls,
        jlong handle, jbyteArray comm, jboolean add)
{
    char k[DT_COMM_LEN] = {0};
    jsize n = (*env)->GetArrayLength(env, comm);
    if (n > DT_COMM_LEN - 1)
        n = DT_COMM_LEN - 1;
    (*env)->GetByteArrayRegion(env, comm, 0, n, (jbyte *)k);
    update_set(env, (struct dt_handle *)(intptr_t)handle, "comms", k, add);
}

JNIEXPORT jint JNICALL Java_org_deeptrace_capture_ebpf_internal_NativeBridge_poll(JNIEnv *env, jclass cls,
        jlong handle, jobject buffer)
{
    struct dt_handle *h = (struct dt_handle *)(intptr_t)handle;
    h->dst = (*env)->GetDirectBufferAddress(env, buffer);
    h->cap = (size_t)(*env)->GetDirectBufferCapacity(env, buffer);
    if (!h->dst || h->cap < 4 + DT_EVENT_HEADER_SIZE + DT_PAYLOAD_CAP + 16) {
        throw_native(env, "poll needs a direct buffer of at least %d bytes", 4 + DT_EVENT_HEADER_SIZE + DT_PAYLOAD_CAP + 16);
        return -1;
    }
    h->pos = 0;
    h->full = 0;
    int n = ring_buffer__consume(h->rb);
    if (n < 0 && !h->full) {
        throw_native(env, "draining the ring buffer failed: %s", strerror(-n));
        return -1;
    }
    return (jint)h->pos;
}

JNIEXPORT void JNICALL Java_org_deeptrace_capture_ebpf_internal_NativeBridge_counters(JNIEnv *env, jclass cls,
        jlong handle, jlongArray out)
{
    struct dt_handle *h = (struct dt_handle *)(intptr_t)handle;
    int fd = map_fd(env, h, "counters");
    if (fd < 0)
        return;
    int ncpu = libbpf_num_possible_cpus();
    if (ncpu <= 0) {
        throw_native(env, "cannot count CPUs: %s", strerror(-ncpu));
        return;
    }
    __u64 *vals = calloc(ncpu, sizeof(__u64));
    jlong sums[DT_CNT_MAX + 1] = {0};
    for (__u32 i = 0; i < DT_CNT_MAX; i++) {
        if (bpf_map_lookup_elem(fd, &i, vals) == 0)
            for (int c = 0; c < ncpu; c++)
                sums[i] += (jlong)vals[c];
    }
    free(vals);
    sums[DT_CNT_MAX] = h->user_drops;
    jsize n = (*env)->GetArrayLength(env, out);
    (*env)->SetLongArrayRegion(env, out, 0, n < DT_CNT_MAX + 1 ? n : DT_CNT_MAX + 1, sums);
}

JNIEXPORT void JNICALL Java_org_deeptrace_capture_ebpf_internal_NativeBridge_close(JNIEnv *env, jclass cls,
        jlong handle)
{
    struct dt_handle *h = (struct dt_handle *)(intptr_t)handle;
    if (!h)
        return;
    for (int i = 0; i < h->nlinks; i++)
        bpf_link__destroy(h->links[i]);
    if (h->rb)
        ring_buffer__free(h->rb);
    if (h->obj)
        bpf_object__close(h->obj);
    free(h->obj_buf);
    free(h);
}

/* Offsets of struct dt_event and struct dt_config, in EventLayout's order, for the layout test. */
JNIEXPORT jintArray JNICALL Java_org_deeptrace_capture_ebpf_internal_NativeBridge_layout(JNIEnv *env, jclass cls)
{
    jint v[] = {
        DT_ABI_VERSION, (jint)sizeof(struct dt_event), DT_EVENT_HEADER_SIZE, DT_PAYLOAD_CAP,
        offsetof(struct dt_event, enter_ns), offsetof(struct dt_event, exit_ns), offsetof(struct dt_event, tgid),
        offsetof(struct dt_event, tid), offsetof(struct dt_event, fd), offsetof(struct dt_event, size),
        offsetof(struct dt_event, captured), offsetof(struct dt_event, tcp_seq), offsetof(struct dt_event, syscall),
        offsetof(struct dt_event, direction), offsetof(struct dt_event, l4), offsetof(struct dt_event, family),
        offsetof(struct dt_event, lport), offsetof(struct dt_event, rport), offsetof(struct dt_event, flags),
        offsetof(struct dt_event, role), offsetof(struct dt_event, laddr), offsetof(struct dt_event, raddr),
        offsetof(struct dt_event, comm), (jint)sizeof(struct dt_config), DT_CNT_MAX,
    };
    jsize n = sizeof(v) / sizeof(v[0]);
    jintArray arr = (*env)->NewIntArray(env, n);
    if (arr)
        (*env)->SetIntArrayRegion(env, arr, 0, n, v);
    return arr;
}
