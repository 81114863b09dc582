package org.deeptrace.pipeline.internal.osgi;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Predicate;
import org.deeptrace.api.capture.CaptureInput;
import org.deeptrace.api.correlation.Correlator;
import org.deeptrace.api.protocol.ProtocolParser;
import org.deeptrace.api.runtime.PluginInfo;
import org.deeptrace.pipeline.internal.core.ParserCatalog;
import org.osgi.framework.ServiceReference;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Tracks the plugin services that come and go at run time: protocol parsers, correlators and input formats.
 * Lists are copy-on-write: the pipeline thread reads them on every new connection while bundles change.
 */
@Component(service = PluginRegistry.class)
public final class PluginRegistry implements ParserCatalog {
    private static final Logger LOG = LoggerFactory.getLogger(PluginRegistry.class);

    private final CopyOnWriteArrayList<Registered<ProtocolParser>> parsers = new CopyOnWriteArrayList<>();
    private final CopyOnWriteArrayList<Registered<Correlator>> correlators = new CopyOnWriteArrayList<>();
    private final CopyOnWriteArrayList<Registered<CaptureInput>> inputs = new CopyOnWriteArrayList<>();
    private volatile List<ProtocolParser> parserSnapshot = List.of();

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    void addParser(ProtocolParser parser, ServiceReference<ProtocolParser> ref) {
        Registered<ProtocolParser> registered = Registered.of(parser, parser.protocol(), ref);
        parsers.add(registered);
        parserSnapshot = snapshot();
        LOG.info("Protocol {} available ({})", parser.protocol(), registered.bundle());
    }

    void removeParser(ProtocolParser parser) {
        parsers.removeIf(r -> r.service() == parser);
        parserSnapshot = snapshot();
        LOG.info("Protocol {} removed", parser.protocol());
    }

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    void addCorrelator(Correlator correlator, ServiceReference<Correlator> ref) {
        correlators.add(Registered.of(correlator, correlator.name(), ref));
    }

    void removeCorrelator(Correlator correlator) {
        correlators.removeIf(r -> r.service() == correlator);
    }

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    void addInput(CaptureInput input, ServiceReference<CaptureInput> ref) {
        inputs.add(Registered.of(input, input.format(), ref));
    }

    void removeInput(CaptureInput input) {
        inputs.removeIf(r -> r.service() == input);
    }

    @Override
    public List<ProtocolParser> parsers() {
        return parserSnapshot;
    }

    @Override
    public boolean contains(ProtocolParser parser) {
        for (ProtocolParser p : parserSnapshot) {
            if (p == parser) {
                return true;
            }
        }
        return false;
    }

    /** The correlator registered under {@code name}, or null. */
    public Correlator correlator(String name) {
        for (Registered<Correlator> r : correlators) {
            if (r.name().equals(name)) {
                return r.service();
            }
        }
        return null;
    }

    public List<String> correlatorNames() {
        return correlators.stream().map(Registered::name).sorted().toList();
    }

    public List<CaptureInput> inputs() {
        return inputs.stream().map(Registered::service).toList();
    }

    public List<String> inputFormats() {
        return inputs.stream().map(Registered::name).sorted().toList();
    }

    public List<PluginInfo> protocolInfo() {
        return info(parsers, r -> true);
    }

    public List<PluginInfo> correlatorInfo(String active) {
        return info(correlators, r -> r.name().equals(active));
    }

    private static <T> List<PluginInfo> info(List<Registered<T>> list, Predicate<Registered<T>> active) {
        List<PluginInfo> out = new ArrayList<>();
        for (Registered<T> r : list) {
            out.add(new PluginInfo(r.name(), r.bundle(), r.version(), active.test(r)));
        }
        out.sort(Comparator.comparing(PluginInfo::name));
        return out;
    }

    private List<ProtocolParser> snapshot() {
        return parsers.stream().map(Registered::service).toList();
    }
}
