package org.deeptrace.capture.ebpf.internal;

/** A libbpf or kernel operation failed; the message says which and why (thrown by the JNI bridge). */
public class NativeException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public NativeException(String message) {
        super(message);
    }
}
