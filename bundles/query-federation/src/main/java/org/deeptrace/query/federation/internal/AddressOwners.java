package org.deeptrace.query.federation.internal;

import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Which agents hold spans whose own ({@code local}) address is on an IP: learnt from every answer, so completion
 * lookups go to the agents that can answer them. An IP no agent owns (a load generator, an external database) is
 * asked of every agent once, then remembered as unowned for a while. Thread-safe.
 */
final class AddressOwners {
    private final Map<String, Set<String>> owners = new ConcurrentHashMap<>();
    private final Map<String, Long> unownedUntil = new ConcurrentHashMap<>();
    private final long unownedForMs;

    AddressOwners(long unownedForMs) {
        this.unownedForMs = unownedForMs;
    }

    /** The IP of an {@code ip:port} address ({@code [v6]:port} too); the whole string when it has no port. */
    static String ip(String address) {
        int colon = address.lastIndexOf(':');
        if (colon <= 0) {
            return address;
        }
        String ip = address.substring(0, colon);
        if (ip.startsWith("[") && ip.endsWith("]")) {
            ip = ip.substring(1, ip.length() - 1);
        }
        return ip;
    }

    void learn(String agent, String localAddress) {
        String ip = ip(localAddress);
        owners.computeIfAbsent(ip, k -> ConcurrentHashMap.newKeySet()).add(agent);
        unownedUntil.remove(ip);
    }

    /** The agents known to own the IP of the address; null when unknown (then ask every agent). */
    Set<String> of(String address, long nowMs) {
        String ip = ip(address);
        Set<String> known = owners.get(ip);
        if (known != null) {
            return known;
        }
        Long until = unownedUntil.get(ip);
        if (until != null && until > nowMs) {
            return Set.of();
        }
        return null;
    }

    /** Every agent was asked about the address's IP and none holds it. */
    void unowned(String address, long nowMs) {
        String ip = ip(address);
        if (!owners.containsKey(ip)) {
            unownedUntil.put(ip, nowMs + unownedForMs);
        }
    }
}
