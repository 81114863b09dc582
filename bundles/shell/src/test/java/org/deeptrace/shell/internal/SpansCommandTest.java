package org.deeptrace.shell.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.apache.karaf.shell.support.CommandException;
import org.deeptrace.api.model.ResponseStatus;
import org.deeptrace.api.model.Span;
import org.deeptrace.api.store.SpanQuery;
import org.deeptrace.api.store.SpanStore;
import org.junit.jupiter.api.Test;

class SpansCommandTest {
    private SpanQuery received;

    private SpanStore storeOf(List<Span> spans) {
        return new SpanStore() {
            @Override
            public List<Span> find(SpanQuery query) {
                received = query;
                return spans;
            }

            @Override
            public List<Span> trace(String traceId) {
                return List.of();
            }

            @Override
            public List<org.deeptrace.api.store.TraceSummary> traces(org.deeptrace.api.store.TraceQuery query) {
                return List.of();
            }

            @Override
            public List<org.deeptrace.api.store.DependencyLink> dependencies(long startNs, long endNs) {
                return List.of();
            }

            @Override
            public List<org.deeptrace.api.store.EndpointLatency> endpointLatency(String service, long startNs,
                    long endNs) {
                return List.of();
            }

            @Override
            public long size() {
                return spans.size();
            }
        };
    }

    @Test
    void defaultsToTheLatestTwentySpans() throws Exception {
        assertEquals(SpanQuery.latest(20), new SpansCommand().query());
    }

    @Test
    void filtersMapOntoTheQuery() throws Exception {
        SpansCommand command = new SpansCommand();
        command.protocol = "HTTP1";
        command.endpoint = "/orders";
        command.pid = 4242;
        command.limit = 5;

        assertEquals(new SpanQuery("HTTP1", "/orders", 4242, 5), command.query());
    }

    @Test
    void badLimitOrPidIsAUserError() {
        SpansCommand command = new SpansCommand();
        command.limit = 0;
        assertEquals("--limit must be between 1 and 10000, not 0",
                assertThrows(CommandException.class, command::query).getMessage());
        command.limit = 10_001;
        assertThrows(CommandException.class, command::query);
        command.limit = 10;
        command.pid = -1;
        assertThrows(CommandException.class, command::query);
    }

    @Test
    void printsTheStoresSpans() throws Exception {
        SpansCommand command = new SpansCommand();
        command.store = storeOf(List.of(Fakes.span("0123456789abcdef", null, 5_000_000_000L, 5_001_000_000L,
                ResponseStatus.OK, 200)));
        command.protocol = "HTTP1";

        String out = Fakes.captureStdout(command::execute);

        assertEquals("HTTP1", received.protocol());
        assertTrue(out.contains("0123456789abcdef") && out.contains("ok/200") && out.contains("1.000"), out);
    }

    @Test
    void missingStoreIsReported() {
        CommandException e = assertThrows(CommandException.class, new SpansCommand()::execute);
        assertTrue(e.getMessage().startsWith("The span store is not available"), e.getMessage());
    }
}
