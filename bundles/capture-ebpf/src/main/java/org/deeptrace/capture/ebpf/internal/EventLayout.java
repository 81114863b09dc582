package org.deeptrace.capture.ebpf.internal;

/**
 * The Java side of native/include/deeptrace_abi.h: offsets of struct dt_event, enum values and counter indices.
 * EventLayoutTest compares these with the C compiler's view through {@link NativeBridge#layout()}.
 */
final class EventLayout {

    static final int ABI_VERSION = 1;
    static final int HEADER_SIZE = 104;
    static final int PAYLOAD_CAP = 8192;
    static final int DEFAULT_PAYLOAD = 4096;

    static final int ENTER_NS = 0;
    static final int EXIT_NS = 8;
    static final int TGID = 16;
    static final int TID = 20;
    static final int FD = 24;
    static final int SIZE = 28;
    static final int CAPTURED = 32;
    static final int TCP_SEQ = 36;
    static final int SYSCALL = 40;
    static final int DIRECTION = 42;
    static final int L4 = 43;
    static final int FAMILY = 44;
    static final int LPORT = 46;
    static final int RPORT = 48;
    static final int FLAGS = 50;
    static final int ROLE = 51;
    static final int LADDR = 56;
    static final int RADDR = 72;
    static final int COMM = 88;
    static final int COMM_LEN = 16;
    static final int CONFIG_SIZE = 16;

    static final int FLAG_HAS_SEQ = 0x1;
    static final int DIR_INGRESS = 0;
    static final int FAMILY_INET = 2;
    static final int FAMILY_INET6 = 10;
    static final int PROTO_TCP = 6;
    static final int PROTO_UDP = 17;

    static final int FILTER_ALL = 0x1;
    static final int FILTER_PID = 0x2;
    static final int FILTER_COMM = 0x4;
    static final int FILTER_CGROUP = 0x8;

    static final int CNT_EVENTS = 0;
    static final int CNT_RB_DROPS = 1;
    static final int CNT_MAP_FULL = 2;
    static final int CNT_NON_SOCKET = 3;
    static final int CNT_BYTES = 4;
    static final int CNT_MAX = 8;
    /** Index after the kernel counters: records the bridge could not copy out. */
    static final int CNT_BRIDGE_DROPS = CNT_MAX;

    /** Batch framing of NativeBridge.poll: u32 length, record, padding to this alignment. */
    static final int BATCH_RECORD_ALIGN = 8;
    /** Smallest buffer poll accepts: one framed record of the largest size. */
    static final int MIN_BATCH_BUFFER = 4 + HEADER_SIZE + PAYLOAD_CAP + 16;

    /** dt_syscall values -> contract names. */
    static final String[] SYSCALLS = {"read", "readv", "recvfrom", "recvmsg", "recvmmsg", "write", "writev",
        "sendto", "sendmsg", "sendmmsg", "ssl_read", "ssl_write"};

    /** What NativeBridge.layout() returns, in order. */
    static final int[] NATIVE_LAYOUT_ORDER = {ABI_VERSION, HEADER_SIZE, HEADER_SIZE, PAYLOAD_CAP, ENTER_NS, EXIT_NS,
        TGID, TID, FD, SIZE, CAPTURED, TCP_SEQ, SYSCALL, DIRECTION, L4, FAMILY, LPORT, RPORT, FLAGS, ROLE, LADDR,
        RADDR, COMM, CONFIG_SIZE, CNT_MAX};

    /** Names of the programs in the object, the original DeepTrace's tracepoint names. */
    static final String[] PROGRAMS = {"sys_enter_read", "sys_exit_read", "sys_enter_write", "sys_exit_write",
        "sys_enter_readv", "sys_exit_readv", "sys_enter_writev", "sys_exit_writev", "sys_enter_recvfrom",
        "sys_exit_recvfrom", "sys_enter_sendto", "sys_exit_sendto", "sys_enter_recvmsg", "sys_exit_recvmsg",
        "sys_enter_sendmsg", "sys_exit_sendmsg", "sys_enter_recvmmsg", "sys_exit_recvmmsg", "sys_enter_sendmmsg",
        "sys_exit_sendmmsg", "sys_enter_connect", "sys_exit_connect", "sys_enter_accept4",
        "sys_exit_accept4", "sys_enter_close"};

    /** Uprobe programs (attached per libssl by TlsProbes, not listed in `probes`). */
    static final String[] TLS_PROGRAMS = {"uprobe_ssl_read", "uprobe_ssl_read_ex", "uprobe_ssl_write",
        "uprobe_ssl_write_ex", "uretprobe_ssl"};

    private EventLayout() {
    }
}
