package org.deeptrace.protocol.dns.internal;

import org.deeptrace.api.model.ResponseStatus;

/** Names of query types and response codes, and what a response code means for a span's status. */
final class DnsTypes {
    private DnsTypes() {
    }

    /** The mnemonic of a query type (IANA registry), or {@code TYPEn} (RFC 3597) for the others. */
    static String typeName(int qtype) {
        return switch (qtype) {
            case 1 -> "A";
            case 2 -> "NS";
            case 5 -> "CNAME";
            case 6 -> "SOA";
            case 12 -> "PTR";
            case 13 -> "HINFO";
            case 15 -> "MX";
            case 16 -> "TXT";
            case 28 -> "AAAA";
            case 33 -> "SRV";
            case 35 -> "NAPTR";
            case 39 -> "DNAME";
            case 41 -> "OPT";
            case 43 -> "DS";
            case 46 -> "RRSIG";
            case 47 -> "NSEC";
            case 48 -> "DNSKEY";
            case 50 -> "NSEC3";
            case 52 -> "TLSA";
            case 64 -> "SVCB";
            case 65 -> "HTTPS";
            case 99 -> "SPF";
            case 251 -> "IXFR";
            case 252 -> "AXFR";
            case 255 -> "ANY";
            case 256 -> "URI";
            case 257 -> "CAA";
            default -> "TYPE" + qtype;
        };
    }

    /** The mnemonic of a response code (RFC 1035, 2136, 6895), or {@code RCODEn}. */
    static String rcodeName(int rcode) {
        return switch (rcode) {
            case 0 -> "NOERROR";
            case 1 -> "FORMERR";
            case 2 -> "SERVFAIL";
            case 3 -> "NXDOMAIN";
            case 4 -> "NOTIMP";
            case 5 -> "REFUSED";
            case 6 -> "YXDOMAIN";
            case 7 -> "YXRRSET";
            case 8 -> "NXRRSET";
            case 9 -> "NOTAUTH";
            case 10 -> "NOTZONE";
            default -> "RCODE" + rcode;
        };
    }

    /**
     * NOERROR is ok. Codes that blame the question (malformed, no such name, refused, update preconditions) are
     * client errors; SERVFAIL and NOTIMP are server errors; the rest are errors. A lost code is unknown.
     */
    static ResponseStatus status(int rcode) {
        return switch (rcode) {
            case -1 -> ResponseStatus.UNKNOWN;
            case 0 -> ResponseStatus.OK;
            case 1, 3, 5, 6, 7, 8, 9, 10 -> ResponseStatus.CLIENT_ERROR;
            case 2, 4 -> ResponseStatus.SERVER_ERROR;
            default -> ResponseStatus.ERROR;
        };
    }
}
