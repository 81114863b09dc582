package org.deeptrace.protocol.redis.internal;

import java.nio.ByteBuffer;
import org.deeptrace.api.protocol.Inference;
import org.deeptrace.api.protocol.Origin;

/**
 * Recognises RESP in the first bytes one end sent. A client's command array ({@code *<n>\r\n$}) is near certain;
 * a reply-looking first line ({@code +OK}, {@code -ERR ...}, {@code :1}, {@code $5}) is only plausible, since such
 * short lines occur in other text protocols too. HTTP and TLS cannot match: their first bytes are never a RESP
 * type character. Port 6379 raises confidence; it is never required.
 */
final class RespInference {
    static final int REDIS_PORT = 6379;
    /** Longest first line looked at. */
    private static final int MAX_LINE = 512;

    private RespInference() {
    }

    static Inference infer(ByteBuffer firstBytes, int srcPort, int dstPort) {
        ByteBuffer b = firstBytes.duplicate();
        byte[] bytes = new byte[Math.min(b.remaining(), MAX_LINE + 2)];
        b.get(bytes);
        boolean redisPort = srcPort == REDIS_PORT || dstPort == REDIS_PORT;
        if (looksLikeCommand(bytes)) {
            return Inference.of(redisPort ? 0.95 : 0.9, Origin.CLIENT);
        }
        if (looksLikeInlineCommand(bytes)) {
            return Inference.of(redisPort ? 0.7 : 0.5, Origin.CLIENT);
        }
        if (looksLikeReply(bytes)) {
            return Inference.of(redisPort ? 0.7 : 0.5, Origin.SERVER);
        }
        return Inference.NO;
    }

    /** {@code *<count>\r\n$}: an array of bulk strings, the only form a client sends besides inline commands. */
    static boolean looksLikeCommand(byte[] b) {
        if (b.length < 5 || b[0] != '*') {
            return false;
        }
        int end = lineEnd(b, 1);
        if (end < 0 || RespLines.parseLong(b, 1, end) < 1) {
            return false;
        }
        return end + 2 < b.length && b[end + 2] == '$';
    }

    /** Common commands sent inline ({@code redis-cli --pipe}, telnet); never an HTTP request line. */
    private static final java.util.Set<String> INLINE_COMMANDS = java.util.Set.of("PING", "SET", "GET", "DEL",
            "INCR", "AUTH", "SELECT", "HELLO", "INFO", "EXISTS", "EXPIRE", "MGET", "MSET", "HSET", "HGET",
            "LPUSH", "RPUSH", "SADD", "ZADD", "PUBLISH", "SUBSCRIBE");

    /** An upper-case known command word, then a space or the line's end, on a complete line without HTTP/. */
    static boolean looksLikeInlineCommand(byte[] b) {
        int end = lineEnd(b, 0);
        if (end < 4) {
            return false;
        }
        int word = 0;
        while (word < end && b[word] >= 'A' && b[word] <= 'Z') {
            word++;
        }
        if (word == 0 || (word < end && b[word] != ' ')) {
            return false;
        }
        String line = new String(b, 0, end, java.nio.charset.StandardCharsets.ISO_8859_1);
        return INLINE_COMMANDS.contains(line.substring(0, word)) && !line.contains("HTTP/");
    }

    /** A complete first line of a reply type a server sends first: simple string, error, integer, bulk, map. */
    static boolean looksLikeReply(byte[] b) {
        if (b.length < 3) {
            return false;
        }
        int end = lineEnd(b, 1);
        if (end < 0) {
            return false;
        }
        switch (b[0]) {
            case '+':
            case '-':
                if (end == 1) {
                    return false;
                }
                for (int i = 1; i < end; i++) {
                    if (b[i] < 0x20 || b[i] > 0x7e) {
                        return false;
                    }
                }
                // An error starts with an upper-case code (ERR, WRONGTYPE, NOAUTH, ...).
                return b[0] == '+' || (b[1] >= 'A' && b[1] <= 'Z');
            case ':':
                return RespLines.parseLong(b, 1, end) != RespLines.NOT_A_NUMBER;
            case '$':
            case '*':
            case '%':
                return RespLines.parseLong(b, 1, end) >= -1;
            default:
                return false;
        }
    }

    /** Index of the {@code \r} of the first CRLF at or after {@code from}, or -1. */
    private static int lineEnd(byte[] b, int from) {
        for (int i = from; i + 1 < b.length && i <= MAX_LINE; i++) {
            if (b[i] == '\r') {
                return b[i + 1] == '\n' ? i : -1;
            }
            if (b[i] == '\n') {
                return -1;
            }
        }
        return -1;
    }
}
