package org.deeptrace.api.runtime;

import java.util.Map;

/**
 * What a replay did.
 *
 * @param records capture records read
 * @param skipped malformed records skipped (lenient mode)
 * @param messagesByProtocol L7 messages parsed, per protocol
 * @param spansByProtocol spans built, per protocol
 * @param correlator the correlator used
 * @param clientSpans client spans the correlator decided on
 * @param parented client spans that got a parent
 * @param counters every pipeline counter, drops and errors included
 */
public record ReplayReport(long records, long skipped, Map<String, Long> messagesByProtocol,
        Map<String, Long> spansByProtocol, String correlator, long clientSpans, long parented,
        Map<String, Long> counters) {
}
