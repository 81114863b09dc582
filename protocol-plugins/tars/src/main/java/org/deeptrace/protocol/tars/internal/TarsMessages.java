package org.deeptrace.protocol.tars.internal;

import org.deeptrace.api.model.MessageType;
import org.deeptrace.api.model.ParsedMessage;
import org.deeptrace.api.model.ResponseStatus;
import org.deeptrace.api.protocol.Origin;
import org.deeptrace.api.protocol.TraceContext;

/** Turns a decoded {@link TarsPacket} into the record fields (see the README's field table). */
final class TarsMessages {

    private TarsMessages() {
    }

    static ParsedMessage toMessage(TarsPacket p, Origin origin, long size) {
        boolean request = p.isRequest(origin);
        ParsedMessage.Builder b = ParsedMessage.builder(TarsProtocol.PROTOCOL,
                request ? MessageType.REQUEST : MessageType.RESPONSE, size)
                .version(Integer.toString(p.version));
        if (p.hasRequestId) {
            b.requestId(p.requestId);
        }
        if (request) {
            b.requestDomain(p.servantName).requestType(p.funcName)
                    .expectsResponse(p.packetType != TarsPacket.TARS_ONEWAY);
            if (p.servantName != null && p.funcName != null) {
                String operation = p.servantName + "." + p.funcName;
                b.requestResource(operation).endpoint(operation);
            }
            b.xRequestId(p.xRequestId);
            TraceContext trace = TraceContext.resolve(p.traceparent, p.b3TraceId, p.b3SpanId, p.b3, p.uberTraceId,
                    p.sw8);
            if (trace != null) {
                b.traceId(trace.traceId()).spanId(trace.spanId());
            }
        } else if (p.hasRet) {
            b.responseCode(p.ret).responseStatus(status(p.ret));
            if (p.ret != 0 && p.resultDesc != null && !p.resultDesc.isEmpty()) {
                b.responseException(p.resultDesc);
            }
        } else {
            // iRet 0 is written as a zero field, so a complete response always has it; a cut one may not
            b.responseStatus(p.partial ? ResponseStatus.UNKNOWN : ResponseStatus.OK).responseCode(p.partial ? null : 0);
        }
        return b.build();
    }

    /**
     * Tars's framework return codes ({@code tars/RequestF.tars}, TarsJava {@code TarsHelper}): 0 success; the
     * caller's fault: -1 the server could not decode the request, -3 no such function, -4 no such servant,
     * -12 invoked from an invalid set; the server's: -2 encode error, -5 reset grid, -6 queue timeout,
     * -7/-8 timeouts, -9 proxy connect error, -10 overload, -11 adapter null, -99 unknown (an exception in the
     * servant). Other codes are application-defined: a plain error.
     */
    static ResponseStatus status(int ret) {
        return switch (ret) {
            case 0 -> ResponseStatus.OK;
            case -1, -3, -4, -12 -> ResponseStatus.CLIENT_ERROR;
            case -2, -5, -6, -7, -8, -9, -10, -11, -13, -99 -> ResponseStatus.SERVER_ERROR;
            default -> ResponseStatus.ERROR;
        };
    }
}
