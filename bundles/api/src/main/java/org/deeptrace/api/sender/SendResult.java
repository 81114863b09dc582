package org.deeptrace.api.sender;

/** The outcome of a {@link SpanSender} call. */
public enum SendResult {
    SUCCESS,
    /** The backend could not take the batch now; the same batch may be offered again. */
    RETRY,
    /** The batch cannot be exported; it is counted as dropped. */
    FAILURE
}
