package org.deeptrace.capture.files.internal;

/** One record is bad; the message says why (the caller adds file and line). */
final class InvalidRecordException extends Exception {
    private static final long serialVersionUID = 1L;

    InvalidRecordException(String reason) {
        super(reason, null, false, false);
    }
}
