package org.deeptrace.protocol.redis.internal;

import java.util.Locale;
import java.util.Set;
import org.deeptrace.api.model.MessageType;
import org.deeptrace.api.model.ParsedMessage;
import org.deeptrace.api.model.ResponseStatus;

/** Turns a command or a reply into the fields of a message record. */
final class RedisCommands {
    /**
     * Commands whose first argument is a sub-command ({@code CONFIG GET}, {@code CLIENT SETNAME}): their endpoint
     * names both words, their {@code request_type} only the first.
     */
    static final Set<String> CONTAINERS = Set.of("ACL", "CLIENT", "CLUSTER", "COMMAND", "CONFIG", "DEBUG",
            "FUNCTION", "LATENCY", "MEMORY", "MODULE", "OBJECT", "PUBSUB", "SCRIPT", "SLOWLOG", "XGROUP", "XINFO");

    /** Commands whose first argument is not a key (or which have no argument). */
    static final Set<String> KEYLESS = Set.of("AUTH", "BGREWRITEAOF", "BGSAVE", "DBSIZE", "DISCARD", "ECHO", "EVAL",
            "EVALSHA", "EVAL_RO", "EVALSHA_RO", "EXEC", "FCALL", "FCALL_RO", "FLUSHALL", "FLUSHDB", "HELLO", "INFO",
            "KEYS", "LASTSAVE", "MULTI", "PING", "PSUBSCRIBE", "PUNSUBSCRIBE", "QUIT", "RANDOMKEY", "READONLY",
            "READWRITE", "RESET", "ROLE", "SAVE", "SCAN", "SELECT", "SHUTDOWN", "SSUBSCRIBE", "SUNSUBSCRIBE",
            "SUBSCRIBE", "SWAPDB", "SYNC", "PSYNC", "TIME", "UNSUBSCRIBE", "UNWATCH", "WAIT", "WAITAOF", "XREAD",
            "XREADGROUP", "REPLCONF", "REPLICAOF", "SLAVEOF", "MONITOR", "LOLWUT", "FAILOVER");

    /** Commands that a RESP3 server confirms with pushes instead of a reply. */
    static final Set<String> PUSH_CONFIRMED = Set.of("SUBSCRIBE", "PSUBSCRIBE", "SSUBSCRIBE", "UNSUBSCRIBE",
            "PUNSUBSCRIBE", "SUNSUBSCRIBE");

    private RedisCommands() {
    }

    /**
     * A command: its name upper-cased as {@code request_type}; as {@code endpoint} the same, or both words for a
     * {@linkplain #CONTAINERS container command}; its first argument as {@code request_resource} when that is a
     * key. {@code null} arguments were not captured. On a RESP3 connection the (un)subscribe commands expect no
     * response: the server confirms them with pushes.
     */
    static ParsedMessage request(String command, String firstArg, long size, boolean resp3) {
        ParsedMessage.Builder b = ParsedMessage.builder(RedisProtocol.PROTOCOL, MessageType.REQUEST, size);
        if (command == null || command.isEmpty()) {
            return b.build();
        }
        String name = command.toUpperCase(Locale.ROOT);
        b.requestType(name);
        if (resp3 && PUSH_CONFIRMED.contains(name)) {
            b.expectsResponse(false);
        }
        if (CONTAINERS.contains(name)) {
            b.endpoint(firstArg == null ? name : name + " " + firstArg.toUpperCase(Locale.ROOT));
        } else {
            b.endpoint(name);
            if (firstArg != null && !KEYLESS.contains(name)) {
                b.requestResource(firstArg);
            }
        }
        return b.build();
    }

    /** A reply: an error reply has status {@code error} and its message as {@code response_exception}. */
    static ParsedMessage response(boolean error, String errorMessage, long size) {
        ParsedMessage.Builder b = ParsedMessage.builder(RedisProtocol.PROTOCOL, MessageType.RESPONSE, size);
        b.responseStatus(error ? ResponseStatus.ERROR : ResponseStatus.OK);
        if (error && errorMessage != null) {
            b.responseException(errorMessage);
        }
        return b.build();
    }

    /** A reply cut by a capture gap: how it ended is not known. */
    static ParsedMessage truncatedResponse(long size) {
        return ParsedMessage.builder(RedisProtocol.PROTOCOL, MessageType.RESPONSE, size)
                .responseStatus(ResponseStatus.UNKNOWN).build();
    }

    /** A RESP3 push (pub/sub message, invalidation): part of the session, answering no request. */
    static ParsedMessage push(String kind, long size) {
        ParsedMessage.Builder b = ParsedMessage.builder(RedisProtocol.PROTOCOL, MessageType.SESSION, size);
        if (kind != null) {
            b.requestType(kind);
        }
        return b.expectsResponse(false).build();
    }
}
