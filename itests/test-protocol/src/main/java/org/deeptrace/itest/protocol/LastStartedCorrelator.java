package org.deeptrace.itest.protocol;

import java.util.ArrayList;
import java.util.List;
import org.deeptrace.api.correlation.CorrelationWindow;
import org.deeptrace.api.correlation.Correlator;
import org.deeptrace.api.correlation.Decision;
import org.deeptrace.api.model.Span;
import org.osgi.service.component.annotations.Component;

/** A deliberately naive correlator (the latest enclosing server span wins) to switch to in the tests. */
@Component(service = Correlator.class)
public final class LastStartedCorrelator implements Correlator {

    @Override
    public String name() {
        return "last-started";
    }

    @Override
    public List<Decision> correlate(CorrelationWindow window) {
        List<Decision> out = new ArrayList<>();
        for (Span c : window.clients()) {
            Span parent = null;
            int n = 0;
            for (Span s : window.servers()) {
                if (s.encloses(c)) {
                    parent = s;
                    n++;
                }
            }
            out.add(new Decision(c.spanId(), parent == null ? null : parent.spanId(), n == 0 ? 0 : 1.0 / n, n));
        }
        return out;
    }
}
