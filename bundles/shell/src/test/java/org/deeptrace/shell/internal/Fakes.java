package org.deeptrace.shell.internal;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.apache.karaf.shell.api.console.CommandLine;
import org.deeptrace.api.model.Correlation;
import org.deeptrace.api.model.ResponseStatus;
import org.deeptrace.api.model.Span;
import org.deeptrace.api.model.SpanKind;
import org.deeptrace.api.model.Transport;
import org.deeptrace.api.runtime.DeepTraceRuntime;
import org.deeptrace.api.runtime.PipelineStatus;
import org.deeptrace.api.runtime.PluginInfo;

/** Small hand-written doubles of the API services and Karaf console types. */
final class Fakes {
    private Fakes() {
    }

    static DeepTraceRuntime runtime(PipelineStatus status, List<PluginInfo> protocols, List<PluginInfo> correlators,
            List<PluginInfo> senders) {
        return new DeepTraceRuntime() {
            @Override
            public PipelineStatus status() {
                return status;
            }

            @Override
            public List<PluginInfo> protocols() {
                return protocols;
            }

            @Override
            public List<PluginInfo> correlators() {
                return correlators;
            }

            @Override
            public List<PluginInfo> senders() {
                return senders;
            }
        };
    }

    static Span span(String id, String parent, long startNs, long endNs, ResponseStatus status, Integer code) {
        return new Span(id, parent, null, parent == null ? SpanKind.SERVER : SpanKind.CLIENT, "node-1", 4242, 4242,
                "nginx", "HTTP1", Transport.TCP, "10.0.0.1:80", "10.0.0.2:5000", startNs, endNs, 100, 200,
                "/orders", "GET", "/orders?id=1", status, code, null, null,
                parent == null ? null : new Correlation("fifo", 1.0, 1));
    }

    /** A command line whose cursor sits at the end of {@code word}. */
    static CommandLine cursorAt(String word) {
        return new CommandLine() {
            @Override
            public int getCursorArgumentIndex() {
                return 1;
            }

            @Override
            public String getCursorArgument() {
                return word;
            }

            @Override
            public int getArgumentPosition() {
                return word.length();
            }

            @Override
            public String[] getArguments() {
                return new String[] {"deeptrace:replay", word};
            }

            @Override
            public int getBufferPosition() {
                return getBuffer().length();
            }

            @Override
            public String getBuffer() {
                return "deeptrace:replay " + word;
            }
        };
    }

    /** Collects what is printed to it. */
    static final class Output {
        private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        final PrintStream stream = new PrintStream(bytes, true, StandardCharsets.UTF_8);

        String text() {
            return bytes.toString(StandardCharsets.UTF_8);
        }

        List<String> lines() {
            return text().lines().toList();
        }
    }

    /** Runs {@code action} with System.out captured, as Karaf gives each command its session's stream. */
    static String captureStdout(ThrowingRunnable action) throws Exception {
        PrintStream original = System.out;
        Output out = new Output();
        System.setOut(out.stream);
        try {
            action.run();
        } finally {
            System.setOut(original);
        }
        return out.text();
    }

    interface ThrowingRunnable {
        void run() throws Exception;
    }
}
