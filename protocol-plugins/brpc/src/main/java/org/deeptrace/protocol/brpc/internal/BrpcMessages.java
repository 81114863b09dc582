package org.deeptrace.protocol.brpc.internal;

import org.deeptrace.api.model.MessageType;
import org.deeptrace.api.model.ParsedMessage;
import org.deeptrace.api.model.ResponseStatus;
import org.deeptrace.api.protocol.Origin;

/** Turns a decoded {@link RpcMeta} into the record fields (see the README's field table). */
final class BrpcMessages {

    private BrpcMessages() {
    }

    static ParsedMessage toMessage(RpcMeta meta, Origin origin, long size) {
        boolean request = meta.request || (!meta.response && origin == Origin.CLIENT);
        ParsedMessage.Builder b = ParsedMessage.builder(BrpcProtocol.PROTOCOL,
                request ? MessageType.REQUEST : MessageType.RESPONSE, size);
        if (meta.hasCorrelationId) {
            b.requestId(meta.correlationId);
        }
        if (request) {
            b.requestDomain(meta.serviceName).requestType(meta.methodName);
            if (meta.serviceName != null && meta.methodName != null) {
                String operation = meta.serviceName + "." + meta.methodName;
                b.requestResource(operation).endpoint(operation);
            }
            if (meta.traceId != 0) {
                b.traceId(hex16(meta.traceId));
                if (meta.spanId != 0) {
                    b.spanId(hex16(meta.spanId));
                }
            }
            if (meta.requestIdText != null) {
                b.xRequestId(meta.requestIdText);
            } else if (meta.logId != 0) {
                b.xRequestId(Long.toUnsignedString(meta.logId));
            }
        } else if (!meta.partial || meta.errorCode != 0) {
            b.responseCode(meta.errorCode).responseStatus(status(meta.errorCode));
            if (meta.errorCode != 0 && meta.errorText != null && !meta.errorText.isEmpty()) {
                b.responseException(meta.errorText);
            }
        } else {
            b.responseStatus(ResponseStatus.UNKNOWN);
        }
        return b.build();
    }

    /**
     * brpc's error codes ({@code brpc/errno.proto}): 1001-1004 are the caller's fault (no such service, no such
     * method, bad request, authentication); 2001-2999 the server's (internal error, bad response, logging off,
     * concurrency limit, ...). Anything else (client-side 1005-1999 codes never travel in a response; system
     * errno values and application codes set with {@code SetFailed}) is a plain error.
     */
    static ResponseStatus status(int errorCode) {
        if (errorCode == 0) {
            return ResponseStatus.OK;
        }
        if (errorCode >= 1001 && errorCode <= 1004) {
            return ResponseStatus.CLIENT_ERROR;
        }
        if (errorCode >= 2001 && errorCode <= 2999) {
            return ResponseStatus.SERVER_ERROR;
        }
        return ResponseStatus.ERROR;
    }

    private static String hex16(long id) {
        String hex = Long.toHexString(id);
        return "0".repeat(16 - hex.length()) + hex;
    }
}
