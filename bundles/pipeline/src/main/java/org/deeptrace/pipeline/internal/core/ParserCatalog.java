package org.deeptrace.pipeline.internal.core;

import java.util.List;
import org.deeptrace.api.protocol.ProtocolParser;

/** The protocol parsers registered right now; they come and go at run time. */
public interface ParserCatalog {

    /** A snapshot of the registered parsers. */
    List<ProtocolParser> parsers();

    /** Whether {@code parser} is still registered (a connection using a removed one falls back to inference). */
    boolean contains(ProtocolParser parser);

    /** A catalog of a fixed list, for replay and tests. */
    static ParserCatalog of(List<ProtocolParser> parsers) {
        List<ProtocolParser> copy = List.copyOf(parsers);
        return new ParserCatalog() {
            @Override
            public List<ProtocolParser> parsers() {
                return copy;
            }

            @Override
            public boolean contains(ProtocolParser parser) {
                return copy.contains(parser);
            }
        };
    }
}
