package org.deeptrace.store.memory.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.deeptrace.api.model.Span;
import org.deeptrace.api.model.SpanKind;
import org.deeptrace.api.model.Transport;
import org.deeptrace.api.store.SpanQuery;
import org.deeptrace.api.store.TraceQuery;
import org.deeptrace.api.store.TraceSummary;
import org.junit.jupiter.api.Test;

class MemorySpanStoreTest {

    static Span span(int i, String protocol, String endpoint, int tgid) {
        return new Span(String.format("%016x", i), null, i % 2 == 0 ? "t".repeat(32) : null, SpanKind.SERVER, "h", tgid,
                tgid, "svc", protocol, Transport.TCP, "a:1", "b:2", i, i + 1, 1, 1, endpoint, "GET", endpoint, null, null,
                null, null, null);
    }

    static List<String> ids(List<Span> spans) {
        return spans.stream().map(Span::spanId).toList();
    }

    @Test
    void keepsTheNewestSpansUpToItsCapacityAndAnswersNewestFirst() {
        MemorySpanStore store = new MemorySpanStore();
        store.configure(MemorySpanStore.config(3));
        store.send(List.of(span(1, "HTTP1", "/a", 1), span(2, "HTTP1", "/b", 1)));
        store.send(List.of(span(3, "DNS", "x", 2), span(4, "HTTP1", "/a", 2)));

        assertEquals(3, store.size());
        assertEquals(List.of("0000000000000004", "0000000000000003", "0000000000000002"), ids(store.find(SpanQuery.latest(10))));
        assertEquals(List.of("0000000000000004"), ids(store.find(SpanQuery.latest(1))));
    }

    @Test
    void filtersByProtocolEndpointAndProcess() {
        MemorySpanStore store = new MemorySpanStore();
        store.configure(MemorySpanStore.config(100));
        store.send(List.of(span(1, "HTTP1", "/a", 1), span(2, "HTTP1", "/b", 1), span(3, "DNS", "x", 2),
                span(4, "HTTP1", "/a", 2)));

        assertEquals(List.of("0000000000000004", "0000000000000001"), ids(store.find(new SpanQuery("http1", "/a", 0, 10))));
        assertEquals(List.of("0000000000000004", "0000000000000003"), ids(store.find(new SpanQuery(null, null, 2, 10))));
        assertEquals(List.of("0000000000000002", "0000000000000004"), ids(store.trace("t".repeat(32))));
    }

    @Test
    void shrinkingTheCapacityKeepsTheNewest() {
        MemorySpanStore store = new MemorySpanStore();
        store.configure(MemorySpanStore.config(10));
        for (int i = 1; i <= 5; i++) {
            store.send(List.of(span(i, "HTTP1", "/", 1)));
        }
        store.configure(MemorySpanStore.config(2));
        assertEquals(List.of("0000000000000005", "0000000000000004"), ids(store.find(SpanQuery.latest(10))));
    }

    @Test
    void answersTraceQueriesOverWhatItHolds() {
        MemorySpanStore store = new MemorySpanStore();
        store.configure(MemorySpanStore.config(3));
        for (int i = 1; i <= 4; i++) {
            store.send(List.of(span(i, "HTTP1", "/" + i, 1)));
        }
        List<TraceSummary> traces = store.traces(TraceQuery.latest(10));
        assertEquals(1, traces.size());
        assertEquals(2, traces.get(0).spanCount(), "spans 2 and 4; span 0 fell out of the ring");
        assertEquals("/2", traces.get(0).rootEndpoint());
        assertEquals(List.of("/2", "/3", "/4"),
                store.endpointLatency("svc", 0, Long.MAX_VALUE).stream().map(e -> e.endpoint()).toList());
        assertEquals(List.of(), store.dependencies(0, Long.MAX_VALUE));
    }
}
