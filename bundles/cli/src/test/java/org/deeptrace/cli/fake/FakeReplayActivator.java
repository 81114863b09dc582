package org.deeptrace.cli.fake;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Dictionary;
import java.util.Map;
import org.deeptrace.api.capture.MalformedInputException;
import org.deeptrace.api.runtime.ReplayReport;
import org.deeptrace.api.runtime.ReplayRequest;
import org.deeptrace.api.runtime.ReplayService;
import org.osgi.framework.BundleActivator;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceReference;
import org.osgi.service.cm.Configuration;
import org.osgi.service.cm.ConfigurationAdmin;

/**
 * Test bundle (packed into a jar by {@code LauncherTest}, never shipped): a ReplayService that reports what the
 * launcher handed it, so the test can see the request and the configuration pushed into ConfigAdmin.
 *
 * <ul>
 * <li>correlator: {@code <correlator of pid org.deeptrace.pipeline>@<its "dir" value>}</li>
 * <li>records: lines of the inputs; an input line "BAD" fails with MalformedInputException</li>
 * <li>algorithm "unknown": IllegalArgumentException</li>
 * </ul>
 */
public final class FakeReplayActivator implements BundleActivator, ReplayService {

    private BundleContext context;

    @Override
    public void start(BundleContext bundleContext) {
        this.context = bundleContext;
        bundleContext.registerService(ReplayService.class, this, null);
    }

    @Override
    public void stop(BundleContext bundleContext) {
        this.context = null;
    }

    @Override
    public ReplayReport replay(ReplayRequest request) throws IOException, MalformedInputException {
        if ("unknown".equals(request.algorithm())) {
            throw new IllegalArgumentException("unknown correlator 'unknown'; available: fifo");
        }
        long records = 0;
        for (Path input : request.inputs()) {
            long line = 0;
            for (String text : Files.readAllLines(input)) {
                line++;
                if (text.equals("BAD")) {
                    throw new MalformedInputException(input, line, "bad record");
                }
                records++;
            }
        }
        if (request.spansOut() != null) {
            Files.writeString(request.spansOut(), "{}\n");
        }
        Dictionary<String, Object> pipeline = pipelineConfig();
        String correlator = pipeline == null ? "none" : pipeline.get("correlator") + "@" + pipeline.get("dir");
        return new ReplayReport(records, 0, Map.of("HTTP1", 2 * records), Map.of("HTTP1", records), correlator,
                records, records / 2, Map.of("drops.queue_full", 3L, "errors.parse", 0L, "records.in", records));
    }

    private Dictionary<String, Object> pipelineConfig() throws IOException {
        ServiceReference<ConfigurationAdmin> ref = context.getServiceReference(ConfigurationAdmin.class);
        if (ref == null) {
            return null;
        }
        try {
            Configuration configuration = context.getService(ref).getConfiguration("org.deeptrace.pipeline", "?");
            return configuration.getProperties();
        } finally {
            context.ungetService(ref);
        }
    }
}
