package org.deeptrace.query.federation.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.deeptrace.api.model.ResponseStatus;
import org.deeptrace.api.store.TraceQuery;
import org.junit.jupiter.api.Test;

class AgentListTest {

    @Test
    void parsesNamedUrls() {
        assertEquals(List.of(new AgentList.Entry("a", URI.create("http://10.0.0.1:8181")),
                new AgentList.Entry("b", URI.create("https://b.example:8443/"))),
                AgentList.parse(" a=http://10.0.0.1:8181 , b = https://b.example:8443/,"));
        assertEquals(List.of(), AgentList.parse("  "));
        assertEquals(List.of(), AgentList.parse(null));
    }

    @Test
    void refusesWhatIsNotAnAgent() {
        for (String bad : List.of("http://10.0.0.1:8181", "a=", "=http://x", "a=ftp://x", "a=http://", "a=ht tp://x",
                "a=http://x, a=http://y")) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> AgentList.parse(bad), bad);
            assertTrue(e.getMessage().startsWith("agents: "), e.getMessage());
        }
    }

    @Test
    void queriesTravelExactly() {
        TraceQuery q = new TraceQuery("café api", "/a b", "HTTP1", ResponseStatus.SERVER_ERROR, 1_500_001L, 9_000_000L,
                1_764_000_000_123_456_789L, 1_764_000_001_000_000_001L, Map.of("peer", "10.0.0.2:80"), 20);
        assertEquals("service=caf%C3%A9+api&endpoint=%2Fa+b&protocol=HTTP1&status=server_error"
                + "&minDurationMs=1.500001&maxDurationMs=9&start=2025-11-24T16%3A00%3A00.123456789Z"
                + "&end=2025-11-24T16%3A00%3A01.000000001Z&tag=remote%3A10.0.0.2%3A80&limit=20",
                AgentClient.queryString(q));
        assertEquals("limit=5", AgentClient.queryString(TraceQuery.latest(5)));
    }

    @Test
    void addressOwnersAreLearntAndUnownedOnesForgottenAfterAWhile() {
        AddressOwners owners = new AddressOwners(1000);
        assertNull(owners.of("10.0.0.2:80", 0));
        owners.learn("b", "10.0.0.2:41000");
        assertEquals(Set.of("b"), owners.of("10.0.0.2:80", 0));
        owners.unowned("10.0.0.9:5000", 0);
        assertEquals(Set.of(), owners.of("10.0.0.9:1", 999));
        assertNull(owners.of("10.0.0.9:1", 1000));
        assertEquals("fe80::1", AddressOwners.ip("[fe80::1]:443"));
    }
}
