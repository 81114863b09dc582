package org.deeptrace.protocol.tls.internal;

/** Names of TLS versions, handshake message types, alerts and common cipher suites (IANA registries). */
final class TlsNames {
    private TlsNames() {
    }

    /** {@code 1.0} to {@code 1.3}, {@code SSL3.0}, or the hex value for others (drafts, GREASE). */
    static String version(int v) {
        return switch (v) {
            case 0x0300 -> "SSL3.0";
            case 0x0301 -> "1.0";
            case 0x0302 -> "1.1";
            case 0x0303 -> "1.2";
            case 0x0304 -> "1.3";
            default -> String.format("0x%04x", v);
        };
    }

    static String handshake(int type) {
        return switch (type) {
            case 0 -> "HelloRequest";
            case 1 -> "ClientHello";
            case 2 -> "ServerHello";
            case 4 -> "NewSessionTicket";
            case 5 -> "EndOfEarlyData";
            case 8 -> "EncryptedExtensions";
            case 11 -> "Certificate";
            case 12 -> "ServerKeyExchange";
            case 13 -> "CertificateRequest";
            case 14 -> "ServerHelloDone";
            case 15 -> "CertificateVerify";
            case 16 -> "ClientKeyExchange";
            case 20 -> "Finished";
            case 22 -> "CertificateStatus";
            case 24 -> "KeyUpdate";
            default -> "Handshake" + type;
        };
    }

    static String alert(int description) {
        return switch (description) {
            case 0 -> "close_notify";
            case 10 -> "unexpected_message";
            case 20 -> "bad_record_mac";
            case 22 -> "record_overflow";
            case 40 -> "handshake_failure";
            case 42 -> "bad_certificate";
            case 43 -> "unsupported_certificate";
            case 44 -> "certificate_revoked";
            case 45 -> "certificate_expired";
            case 46 -> "certificate_unknown";
            case 47 -> "illegal_parameter";
            case 48 -> "unknown_ca";
            case 49 -> "access_denied";
            case 50 -> "decode_error";
            case 51 -> "decrypt_error";
            case 70 -> "protocol_version";
            case 71 -> "insufficient_security";
            case 80 -> "internal_error";
            case 86 -> "inappropriate_fallback";
            case 90 -> "user_canceled";
            case 100 -> "no_renegotiation";
            case 109 -> "missing_extension";
            case 110 -> "unsupported_extension";
            case 112 -> "unrecognized_name";
            case 113 -> "bad_certificate_status_response";
            case 115 -> "unknown_psk_identity";
            case 116 -> "certificate_required";
            case 120 -> "no_application_protocol";
            default -> "alert" + description;
        };
    }

    static String cipherSuite(int suite) {
        return switch (suite) {
            case 0x1301 -> "TLS_AES_128_GCM_SHA256";
            case 0x1302 -> "TLS_AES_256_GCM_SHA384";
            case 0x1303 -> "TLS_CHACHA20_POLY1305_SHA256";
            case 0x1304 -> "TLS_AES_128_CCM_SHA256";
            case 0x1305 -> "TLS_AES_128_CCM_8_SHA256";
            case 0xC02B -> "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256";
            case 0xC02C -> "TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384";
            case 0xC02F -> "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256";
            case 0xC030 -> "TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384";
            case 0xCCA8 -> "TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256";
            case 0xCCA9 -> "TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256";
            case 0xCCAA -> "TLS_DHE_RSA_WITH_CHACHA20_POLY1305_SHA256";
            case 0xC009 -> "TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA";
            case 0xC00A -> "TLS_ECDHE_ECDSA_WITH_AES_256_CBC_SHA";
            case 0xC013 -> "TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA";
            case 0xC014 -> "TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA";
            case 0xC023 -> "TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA256";
            case 0xC024 -> "TLS_ECDHE_ECDSA_WITH_AES_256_CBC_SHA384";
            case 0xC027 -> "TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA256";
            case 0xC028 -> "TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA384";
            case 0x009C -> "TLS_RSA_WITH_AES_128_GCM_SHA256";
            case 0x009D -> "TLS_RSA_WITH_AES_256_GCM_SHA384";
            case 0x009E -> "TLS_DHE_RSA_WITH_AES_128_GCM_SHA256";
            case 0x009F -> "TLS_DHE_RSA_WITH_AES_256_GCM_SHA384";
            case 0x002F -> "TLS_RSA_WITH_AES_128_CBC_SHA";
            case 0x0035 -> "TLS_RSA_WITH_AES_256_CBC_SHA";
            case 0x003C -> "TLS_RSA_WITH_AES_128_CBC_SHA256";
            case 0x003D -> "TLS_RSA_WITH_AES_256_CBC_SHA256";
            case 0x000A -> "TLS_RSA_WITH_3DES_EDE_CBC_SHA";
            default -> String.format("0x%04X", suite);
        };
    }

    /** GREASE values (RFC 8701) are 0x?A?A with equal bytes: offered to keep peers honest, never chosen. */
    static boolean isGrease(int v) {
        return (v & 0x0F0F) == 0x0A0A && (v >>> 8) == (v & 0xFF);
    }
}
