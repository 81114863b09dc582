package org.deeptrace.capture.ebpf.internal;

import java.util.List;

/** The live capture cannot run here; {@link #missing()} lists each missing prerequisite in words. */
public class CaptureUnavailableException extends Exception {
    private static final long serialVersionUID = 1L;

    private final List<String> missing;

    public CaptureUnavailableException(List<String> missing) {
        super("eBPF capture unavailable: " + String.join("; ", missing));
        this.missing = List.copyOf(missing);
    }

    public List<String> missing() {
        return missing;
    }
}
