package org.deeptrace.protocol.dubbo.internal;

import org.deeptrace.api.model.MessageType;
import org.deeptrace.api.model.ParsedMessage;
import org.deeptrace.api.model.ResponseStatus;
import org.deeptrace.protocol.support.hessian.Hessian2Reader;

/**
 * Turns a header and the captured prefix of its body into a message record. Bodies are read only for Hessian2
 * (serialization id 2), and only their first values:
 * <ul>
 *   <li>request ({@code DubboCodec.encodeRequestData}): dubbo version, service path, service version, method
 *       name, then the parameter descriptor and arguments (not read);</li>
 *   <li>response with status 20: a small int flag (0 exception, 1 value, 2 null, 3-5 the same with attachments),
 *       then for an exception the throwable, an object whose class definition names its class;</li>
 *   <li>response with another status: the error message string;</li>
 *   <li>event: {@code N} (heartbeat) or the string {@code R} (read-only notice of a provider shutting down).</li>
 * </ul>
 */
final class DubboMessages {
    static final String PROTOCOL = "Dubbo";
    /** Characters kept of a service path, method or version. */
    static final int MAX_NAME = 256;
    /** Characters kept of an error message. */
    static final int MAX_ERROR = 256;
    /** Hessian2 compact ints 0..5 (0x90 + n): the response flags. */
    private static final int RESPONSE_WITH_EXCEPTION = 0x90;
    private static final int RESPONSE_WITH_EXCEPTION_WITH_ATTACHMENTS = 0x93;
    private static final int RESPONSE_NULL_VALUE_WITH_ATTACHMENTS = 0x95;

    /** Why the last body could not be read, or {@code null}: a short constant phrase (a counter name). */
    private String problem;

    String problem() {
        return problem;
    }

    /**
     * @param body the captured prefix of the body
     * @param fill how many bytes of {@code body} are valid
     * @param whole false when a gap hid bytes of the body after {@code body[0, fill)} (the prefix itself is
     *        always contiguous)
     */
    ParsedMessage build(DubboHeader h, byte[] body, int fill, boolean whole) {
        problem = null;
        long size = DubboHeader.LENGTH + h.bodyLength();
        boolean hessian = h.serialization() == DubboHeader.HESSIAN2 && fill > 0;
        boolean complete = whole && fill == h.bodyLength();
        if (h.event()) {
            String kind = hessian && fill >= 2 && body[0] == 0x01 && body[1] == 'R' ? "readonly" : "heartbeat";
            return ParsedMessage.builder(PROTOCOL, MessageType.SESSION, size)
                    .requestType(kind)
                    .requestId(h.requestId())
                    .responseCode(h.request() ? null : h.status())
                    .expectsResponse(false)
                    .build();
        }
        if (h.request()) {
            ParsedMessage.Builder m = ParsedMessage.builder(PROTOCOL, MessageType.REQUEST, size)
                    .requestId(h.requestId())
                    .expectsResponse(h.twoWay());
            if (hessian) {
                readRequest(new Hessian2Reader(body, 0, fill), m, complete);
            }
            return m.build();
        }
        ParsedMessage.Builder m = ParsedMessage.builder(PROTOCOL, MessageType.RESPONSE, size)
                .requestId(h.requestId())
                .responseCode(h.status())
                .responseStatus(DubboHeader.responseStatus(h.status()));
        if (hessian) {
            readResponse(new Hessian2Reader(body, 0, fill), h.status(), m, complete);
        }
        return m.build();
    }

    private void readRequest(Hessian2Reader r, ParsedMessage.Builder m, boolean complete) {
        String dubboVersion = r.readString(MAX_NAME);
        String path = r.readString(MAX_NAME);
        r.readString(MAX_NAME); // the service version: not a record field (see README)
        String method = r.readString(MAX_NAME);
        if (!r.ok()) {
            noteFailure(r, complete, "bad hessian2 request");
            // keep what was read before the failure
            m.version(dubboVersion).requestDomain(path);
            return;
        }
        m.version(dubboVersion).requestDomain(path).requestType(method);
        if (path != null && method != null) {
            String operation = path + "." + method;
            m.requestResource(operation).endpoint(operation);
        }
    }

    private void readResponse(Hessian2Reader r, int status, ParsedMessage.Builder m, boolean complete) {
        if (status != DubboHeader.OK) {
            String error = r.readString(MAX_ERROR);
            if (r.ok()) {
                m.responseException(error);
            } else {
                noteFailure(r, complete, "bad hessian2 error message");
                if (r.failure() == Hessian2Reader.Failure.TRUNCATED && !r.partial().isEmpty()) {
                    m.responseException(r.partial()); // a long message (a stack trace) cut by the capture
                }
            }
            return;
        }
        int flag = r.read();
        if (flag < RESPONSE_WITH_EXCEPTION || flag > RESPONSE_NULL_VALUE_WITH_ATTACHMENTS) {
            noteFailure(r, complete, "bad hessian2 response flag");
            return;
        }
        if (flag == RESPONSE_WITH_EXCEPTION || flag == RESPONSE_WITH_EXCEPTION_WITH_ATTACHMENTS) {
            m.responseStatus(ResponseStatus.SERVER_ERROR);
            String exception = r.readClassDefinitionName(MAX_NAME);
            m.responseException(exception != null && r.ok() ? exception : "exception");
        }
    }

    /** A value cut by the capture limit is expected; an invalid one, or one cut by the body's end, is not. */
    private void noteFailure(Hessian2Reader r, boolean complete, String reason) {
        if (r.failure() == Hessian2Reader.Failure.INVALID || complete) {
            problem = reason;
        }
    }
}
