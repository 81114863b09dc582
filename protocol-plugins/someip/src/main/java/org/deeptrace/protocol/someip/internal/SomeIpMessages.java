package org.deeptrace.protocol.someip.internal;

import org.deeptrace.api.model.MessageType;
import org.deeptrace.api.model.ParsedMessage;
import org.deeptrace.api.model.ResponseStatus;

/** Turns a SOME/IP header (and, for SOME/IP-SD, the first entry) into the record fields. */
final class SomeIpMessages {
    private static final String[] RETURN_CODES = {
        "E_OK", "E_NOT_OK", "E_UNKNOWN_SERVICE", "E_UNKNOWN_METHOD", "E_NOT_READY", "E_NOT_REACHABLE", "E_TIMEOUT",
        "E_WRONG_PROTOCOL_VERSION", "E_WRONG_INTERFACE_VERSION", "E_MALFORMED_MESSAGE", "E_WRONG_MESSAGE_TYPE",
        "E_E2E_REPEATED", "E_E2E_WRONG_SEQUENCE", "E_E2E", "E_E2E_NOT_AVAILABLE", "E_E2E_NO_NEW_DATA",
    };

    private SomeIpMessages() {
    }

    /**
     * @param header the 16 header bytes
     * @param payload the first payload bytes kept ({@code payloadKept} of them)
     * @param size bytes on the wire (all segments of a SOME/IP-TP message)
     */
    static ParsedMessage toMessage(byte[] header, byte[] payload, int payloadKept, long size) {
        int service = SomeIpHeader.uint16(header, 0);
        int method = SomeIpHeader.uint16(header, 2);
        int messageType = header[14] & 0xFF;
        int base = SomeIpHeader.baseType(messageType) & ~SomeIpHeader.ACK_FLAG;
        int returnCode = header[15] & 0xFF;
        String endpoint = hex(service) + "." + hex(method);
        long requestId = SomeIpHeader.uint32(header, 8);
        if (service == SomeIpHeader.SD_SERVICE && method == SomeIpHeader.SD_METHOD) {
            return sd(header, payload, payloadKept, size, endpoint, requestId);
        }
        MessageType type = switch (base) {
            case SomeIpHeader.REQUEST, SomeIpHeader.REQUEST_NO_RETURN -> MessageType.REQUEST;
            case SomeIpHeader.NOTIFICATION -> MessageType.SESSION;
            default -> MessageType.RESPONSE;
        };
        ParsedMessage.Builder b = ParsedMessage.builder(SomeIpProtocol.PROTOCOL, type, size)
                .version(Integer.toString(header[13] & 0xFF))
                .requestId(requestId);
        if (type == MessageType.RESPONSE) {
            b.responseCode(returnCode).responseStatus(status(base, returnCode));
            if (returnCode != 0) {
                b.responseException(returnCodeName(returnCode));
            }
        } else {
            b.requestType(typeName(base)).requestDomain(hex(service)).requestResource(endpoint).endpoint(endpoint)
                    .expectsResponse(base == SomeIpHeader.REQUEST);
        }
        return b.build();
    }

    /**
     * SOME/IP-SD: a {@code session} message named after its first entry (FindService, OfferService,
     * StopOfferService, SubscribeEventgroup, StopSubscribeEventgroup, SubscribeEventgroupAck/Nack) and the service id
     * it names. Payload: flags (1), reserved (3), entries length (4), then 16-byte entries: type (1), option indexes
     * and counts (3), service id (2), instance id (2), major version (1), TTL (3), ...
     */
    private static ParsedMessage sd(byte[] header, byte[] payload, int kept, long size, String endpoint,
            long requestId) {
        ParsedMessage.Builder b = ParsedMessage.builder(SomeIpProtocol.PROTOCOL, MessageType.SESSION, size)
                .version(Integer.toString(header[13] & 0xFF)).requestId(requestId).endpoint(endpoint)
                .requestResource(endpoint).expectsResponse(false);
        String entry = "SD";
        if (kept >= 8 + 16 && SomeIpHeader.uint32(payload, 4) >= 16) {
            int entryType = payload[8] & 0xFF;
            boolean ttlZero = payload[17] == 0 && payload[18] == 0 && payload[19] == 0;
            entry = switch (entryType) {
                case 0x00 -> "FindService";
                case 0x01 -> ttlZero ? "StopOfferService" : "OfferService";
                case 0x06 -> ttlZero ? "StopSubscribeEventgroup" : "SubscribeEventgroup";
                case 0x07 -> ttlZero ? "SubscribeEventgroupNack" : "SubscribeEventgroupAck";
                default -> "SD";
            };
            if (!entry.equals("SD")) {
                b.requestDomain(hex(SomeIpHeader.uint16(payload, 12)));
            }
        }
        return b.requestType(entry).build();
    }

    /**
     * E_OK is success; an ERROR message without a code is still an error. The caller's fault: unknown service or
     * method, wrong protocol or interface version, malformed message, wrong message type. The server's: not ready,
     * not reachable, timeout. E_NOT_OK, the E2E codes and the service-specific codes (0x20-0x5E): a plain error.
     */
    static ResponseStatus status(int baseType, int returnCode) {
        return switch (returnCode) {
            case 0x00 -> baseType == SomeIpHeader.ERROR ? ResponseStatus.ERROR : ResponseStatus.OK;
            case 0x02, 0x03, 0x07, 0x08, 0x09, 0x0A -> ResponseStatus.CLIENT_ERROR;
            case 0x04, 0x05, 0x06 -> ResponseStatus.SERVER_ERROR;
            default -> ResponseStatus.ERROR;
        };
    }

    static String returnCodeName(int code) {
        if (code < RETURN_CODES.length) {
            return RETURN_CODES[code];
        }
        return code < 0x20 ? "E_RESERVED_0x" + hexByte(code) : "E_SERVICE_0x" + hexByte(code);
    }

    private static String typeName(int base) {
        return switch (base) {
            case SomeIpHeader.REQUEST -> "REQUEST";
            case SomeIpHeader.REQUEST_NO_RETURN -> "REQUEST_NO_RETURN";
            default -> "NOTIFICATION";
        };
    }

    private static final char[] DIGITS = "0123456789ABCDEF".toCharArray();

    /** {@code 0xSSSS}: four upper-case hex digits (hot path: no formatting machinery). */
    static String hex(int id16) {
        char[] c = {'0', 'x', DIGITS[id16 >>> 12 & 0xF], DIGITS[id16 >>> 8 & 0xF], DIGITS[id16 >>> 4 & 0xF],
            DIGITS[id16 & 0xF]};
        return new String(c);
    }

    private static String hexByte(int b) {
        String h = Integer.toHexString(b).toUpperCase(java.util.Locale.ROOT);
        return h.length() == 1 ? "0" + h : h;
    }
}
