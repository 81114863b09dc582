package org.deeptrace.capture.ebpf.internal;

import java.nio.ByteBuffer;

/**
 * The JNI functions of {@code libdeeptrace_capture.so} (native/jni/deeptrace_jni.c). A handle is one loaded BPF
 * object with its ring-buffer consumer; it is used by one thread at a time (the capture's drain thread, or the
 * thread that starts and stops it).
 */
final class NativeBridge {

    static final String LIBRARY = "deeptrace_capture";
    /** System property: absolute path of the library, for tests that run outside OSGi. */
    static final String LIBRARY_PROPERTY = "deeptrace.capture.library";

    private static volatile Throwable loadFailure;
    private static volatile boolean loaded;

    private NativeBridge() {
    }

    /** Loads the library once; returns null on success, else why it could not be loaded. */
    static synchronized String load() {
        if (loaded) {
            return null;
        }
        if (loadFailure != null) {
            return describe(loadFailure);
        }
        try {
            String path = System.getProperty(LIBRARY_PROPERTY);
            if (path != null && !path.isEmpty()) {
                System.load(path);
            } else {
                System.loadLibrary(LIBRARY);
            }
            loaded = true;
            return null;
        } catch (UnsatisfiedLinkError | SecurityException e) {
            loadFailure = e;
            return describe(e);
        }
    }

    private static String describe(Throwable e) {
        return "the JNI library " + System.mapLibraryName(LIBRARY) + " could not be loaded (" + e.getMessage()
                + "); it needs libbpf.so.1 and libelf.so.1 (Debian: libbpf1 libelf1)";
    }

    /** Mounts tracefs on /sys/kernel/tracing when no tracefs is mounted; returns the events/syscalls directory. */
    static native String ensureTracefs();

    /** Opens and loads the BPF object (ELF bytes), with a ring buffer of {@code ringBytes}; returns a handle. */
    static native long open(byte[] object, int ringBytes);

    /** Attaches the program named {@code program}; returns its fd. */
    static native int attach(long handle, String program);

    /** Attaches {@code program} as a uprobe (uretprobe) on {@code function} of the ELF file {@code binary}. */
    static native int attachUprobe(long handle, String program, String binary, String function, boolean retprobe);

    static native void configure(long handle, int payloadMax, int selfTgid, int filterFlags);

    static native void filterPid(long handle, int pid, boolean add);

    static native void filterCgroup(long handle, long cgroupId, boolean add);

    static native void filterComm(long handle, byte[] comm, boolean add);

    /**
     * Drains ring-buffer records into the direct buffer from position 0 ({@link EventLayout#BATCH_RECORD_ALIGN}
     * framing: u32 length, record, padding); returns the bytes written. Never blocks.
     */
    static native int poll(long handle, ByteBuffer direct);

    /** Sums of the per-CPU kernel counters (indices {@code EventLayout.CNT_*}), then the bridge's own drops. */
    static native void counters(long handle, long[] out);

    /** Detaches every program and frees the object. */
    static native void close(long handle);

    /** The C side's view of the ABI, in {@link EventLayout#NATIVE_LAYOUT_ORDER} order. */
    static native int[] layout();
}
