package org.deeptrace.protocol.dns.internal;

import org.deeptrace.api.model.MessageType;
import org.deeptrace.api.model.ParsedMessage;
import org.deeptrace.api.protocol.Origin;

/** Turns a parsed DNS message into the fields of a message record. */
final class DnsMessages {
    static final String PROTOCOL = "DNS";

    private DnsMessages() {
    }

    /**
     * The message record's fields: the id as {@code request_id}, the question's name as {@code request_domain}
     * and {@code request_resource}, its type as {@code request_type}; responses add the rcode as
     * {@code response_code}, its status and, for codes other than NOERROR, its name as {@code response_exception}.
     * Request or response follows the QR bit; when the flags were lost, the sender's role decides.
     *
     * @param size bytes on the wire (for TCP including the 2-byte length)
     */
    static ParsedMessage toParsed(DnsMessage m, Origin sender, long size) {
        boolean response = m.response() != null ? m.response() : sender == Origin.SERVER;
        ParsedMessage.Builder b = ParsedMessage.builder(PROTOCOL, response ? MessageType.RESPONSE : MessageType.REQUEST,
                size);
        if (m.id() >= 0) {
            b.requestId((long) m.id());
        }
        if (m.qtype() >= 0) {
            b.requestType(DnsTypes.typeName(m.qtype()));
        }
        if (m.name() != null) {
            b.requestDomain(m.name()).requestResource(m.name());
        }
        if (response) {
            b.responseStatus(DnsTypes.status(m.rcode()));
            if (m.rcode() >= 0) {
                b.responseCode(m.rcode());
                if (m.rcode() != 0) {
                    b.responseException(DnsTypes.rcodeName(m.rcode()));
                }
            }
        }
        return b.build();
    }
}
