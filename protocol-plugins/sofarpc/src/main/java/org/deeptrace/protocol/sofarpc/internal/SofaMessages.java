package org.deeptrace.protocol.sofarpc.internal;

import java.nio.charset.StandardCharsets;
import org.deeptrace.api.model.MessageType;
import org.deeptrace.api.model.ParsedMessage;
import org.deeptrace.api.model.ResponseStatus;
import org.deeptrace.protocol.support.hessian.Hessian2Reader;

/**
 * Turns a Bolt command into a message record: the fields come from the header map (a sequence of
 * {@code <int length><UTF-8 key><int length><UTF-8 value>}, length -1 for null) that SOFARPC fills for every call,
 * and, for a response that failed, from the first values of its Hessian2 content (a {@code SofaResponse} object:
 * {@code isError}, {@code errorMsg}, {@code appResponse}, ...).
 */
final class SofaMessages {
    static final String PROTOCOL = "SofaRPC";
    static final String TARGET_SERVICE = "sofa_head_target_service";
    static final String LEGACY_SERVICE = "service";
    static final String METHOD = "sofa_head_method_name";
    static final String TRACE_ID = "rpc_trace_context.sofaTraceId";
    static final String RESPONSE_ERROR = "sofa_head_response_error";
    /** Characters kept of a service, method, trace id or error message. */
    static final int MAX_VALUE = 256;
    /** Bolt codec id of Hessian2 (sofa-bolt's SerializerManager). */
    static final int HESSIAN2 = 1;
    private static final int MAX_FIELDS = 64;

    private String problem;

    /** Why the last command's header map or content could not be read, or {@code null}. */
    String problem() {
        return problem;
    }

    /**
     * @param headers the captured prefix of the header map, {@code headersFill} bytes
     * @param headersWhole whether the prefix is the whole header map
     * @param content the captured prefix of the content, {@code contentFill} bytes
     */
    ParsedMessage build(BoltHeader h, byte[] headers, int headersFill, boolean headersWhole, byte[] content,
            int contentFill) {
        problem = null;
        String version = Integer.toString(h.proto());
        if (h.heartbeat()) {
            return ParsedMessage.builder(PROTOCOL, MessageType.SESSION, h.totalLength())
                    .version(version)
                    .requestType("heartbeat")
                    .requestId(h.requestId())
                    .responseCode(h.request() ? null : h.statusOrTimeout())
                    .expectsResponse(false)
                    .build();
        }
        HeaderMap map = HeaderMap.read(headers, headersFill, headersWhole);
        if (map.malformed()) {
            problem = "bad header map";
        }
        if (h.request()) {
            String service = map.get(TARGET_SERVICE);
            if (service == null) {
                service = map.get(LEGACY_SERVICE);
            }
            String method = map.get(METHOD);
            ParsedMessage.Builder m = ParsedMessage.builder(PROTOCOL, MessageType.REQUEST, h.totalLength())
                    .version(version)
                    .requestId(h.requestId())
                    .requestDomain(service)
                    .requestType(method)
                    .traceId(map.get(TRACE_ID))
                    .expectsResponse(h.type() == BoltHeader.TYPE_REQUEST);
            if (service != null && method != null) {
                // "interface:version[:uniqueId]": the operation is the interface's method
                int colon = service.indexOf(':');
                String operation = (colon < 0 ? service : service.substring(0, colon)) + "." + method;
                m.requestResource(operation).endpoint(operation);
            }
            return m.build();
        }
        ParsedMessage.Builder m = ParsedMessage.builder(PROTOCOL, MessageType.RESPONSE, h.totalLength())
                .version(version)
                .requestId(h.requestId())
                .responseCode(h.statusOrTimeout())
                .responseStatus(BoltHeader.responseStatus(h.statusOrTimeout()));
        if (h.statusOrTimeout() == 0 && "true".equals(map.get(RESPONSE_ERROR))) {
            m.responseStatus(ResponseStatus.SERVER_ERROR);
            if (h.codec() == HESSIAN2) {
                readFailure(new Hessian2Reader(content, 0, contentFill), m);
            }
        }
        return m.build();
    }

    /**
     * A failed SofaResponse: {@code isError} true with {@code errorMsg} (the framework's error: no such service,
     * ...) or an {@code appResponse} that is a throwable (the business exception; Hessian serialises its
     * {@code detailMessage}, {@code cause} and {@code stackTrace} fields, which is how it is told from a value).
     */
    private static void readFailure(Hessian2Reader r, ParsedMessage.Builder m) {
        Hessian2Reader.ClassDefinition response = r.readClassDefinition(MAX_VALUE, MAX_FIELDS);
        if (response == null || !r.skipInstanceStart(response)) {
            return;
        }
        for (String field : response.fields()) {
            switch (field) {
                case "isError": {
                    int b = r.read();
                    if (b != 'T' && b != 'F') {
                        return;
                    }
                    break;
                }
                case "errorMsg": {
                    String error = r.readString(MAX_VALUE);
                    if (!r.ok()) {
                        return;
                    }
                    if (error != null) {
                        m.responseException(error);
                        return;
                    }
                    break;
                }
                case "appResponse": {
                    Hessian2Reader.ClassDefinition value = r.readClassDefinition(MAX_VALUE, MAX_FIELDS);
                    if (value != null && value.fields().contains("detailMessage")) {
                        m.responseException(value.name());
                    }
                    return;
                }
                default:
                    return; // an unknown field of unknown type: stop rather than guess
            }
        }
    }

    /** The string pairs of a Bolt header map, read from a captured prefix. */
    static final class HeaderMap {
        private final String[] keys = new String[] {TARGET_SERVICE, LEGACY_SERVICE, METHOD, TRACE_ID,
            RESPONSE_ERROR};
        private final String[] values = new String[keys.length];
        private boolean malformed;

        static HeaderMap read(byte[] b, int fill, boolean whole) {
            HeaderMap map = new HeaderMap();
            int pos = 0;
            while (pos < fill) {
                int keyLength = length(b, pos, fill);
                if (keyLength < -1 || pos + 4L + Math.max(keyLength, 0) + 4 > fill) {
                    map.malformed = whole; // cut by the capture limit is expected
                    return map;
                }
                int keyStart = pos + 4;
                int valuePos = keyStart + Math.max(keyLength, 0);
                int valueLength = length(b, valuePos, fill);
                if (valueLength < -1 || valuePos + 4L + Math.max(valueLength, 0) > fill) {
                    map.malformed = whole;
                    return map;
                }
                if (keyLength > 0 && valueLength >= 0) {
                    map.offer(b, keyStart, keyLength, valuePos + 4, valueLength);
                }
                pos = valuePos + 4 + Math.max(valueLength, 0);
            }
            return map;
        }

        /** The 4-byte length at {@code pos}, or -2 when it does not fit. */
        private static int length(byte[] b, int pos, int fill) {
            if (pos + 4 > fill) {
                return -2;
            }
            int v = ((b[pos] & 0xff) << 24) | ((b[pos + 1] & 0xff) << 16) | ((b[pos + 2] & 0xff) << 8)
                    | (b[pos + 3] & 0xff);
            return v < -1 ? -2 : v;
        }

        private void offer(byte[] b, int keyStart, int keyLength, int valueStart, int valueLength) {
            for (int i = 0; i < keys.length; i++) {
                if (values[i] == null && equalsAscii(b, keyStart, keyLength, keys[i])) {
                    int n = Math.min(valueLength, MAX_VALUE);
                    values[i] = new String(b, valueStart, n, StandardCharsets.UTF_8);
                    return;
                }
            }
        }

        private static boolean equalsAscii(byte[] b, int from, int length, String s) {
            if (length != s.length()) {
                return false;
            }
            for (int i = 0; i < length; i++) {
                if (b[from + i] != s.charAt(i)) {
                    return false;
                }
            }
            return true;
        }

        String get(String key) {
            for (int i = 0; i < keys.length; i++) {
                if (keys[i].equals(key)) {
                    return values[i];
                }
            }
            return null;
        }

        boolean malformed() {
            return malformed;
        }
    }
}
