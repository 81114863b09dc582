package org.deeptrace.sender.file.internal;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.deeptrace.api.codec.RecordJson;
import org.deeptrace.api.model.Span;
import org.deeptrace.api.sender.SendResult;
import org.deeptrace.api.sender.SpanSender;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.metatype.annotations.Designate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes spans as JSON Lines (contract section 3) to a file rotated by size and age, like the original agent's
 * file sender. Active only when configured (etc/org.deeptrace.sender.file.cfg); a configuration change
 * re-activates it on the new file.
 */
@Component(service = SpanSender.class, configurationPid = FileSender.PID, configurationPolicy = ConfigurationPolicy.REQUIRE)
@Designate(ocd = FileSenderConfig.class)
public final class FileSender implements SpanSender {
    static final String PID = "org.deeptrace.sender.file";
    private static final Logger LOG = LoggerFactory.getLogger(FileSender.class);
    private static final long MB = 1024L * 1024L;

    private RotatingFile file;
    private final AtomicLong written = new AtomicLong();
    private final AtomicLong writtenBytes = new AtomicLong();
    private final AtomicLong writeErrors = new AtomicLong();

    @Activate
    void activate(Map<String, Object> properties) {
        Object source = String.valueOf(properties.getOrDefault("felix.fileinstall.filename", PID)).replaceFirst("^file:", "");
        String path = stringOf(properties, "path", "data/spans/spans.jsonl", source);
        boolean rotate = !"false".equalsIgnoreCase(String.valueOf(properties.getOrDefault("rotate", "true")).trim());
        long maxSize = positive(properties, "max_size", 100, source);
        long maxAge = positive(properties, "max_age", 7, source);
        file = new RotatingFile(Path.of(path), rotate, maxSize * MB, Duration.ofDays(maxAge), Clock.systemUTC());
        LOG.info("Writing spans to {} (rotate {}, {} MB, {} days)", path, rotate, maxSize, maxAge);
    }

    @Deactivate
    void deactivate() {
        try {
            file.close();
        } catch (IOException e) {
            LOG.warn("Closing {} failed: {}", file.path(), e.getMessage());
        }
    }

    @Override
    public String name() {
        return "file";
    }

    @Override
    public SendResult send(List<Span> spans) {
        ByteArrayOutputStream lines = new ByteArrayOutputStream(spans.size() * 512);
        for (Span s : spans) {
            byte[] line = RecordJson.span(s).getBytes(StandardCharsets.UTF_8);
            lines.write(line, 0, line.length);
            lines.write('\n');
        }
        try {
            byte[] bytes = lines.toByteArray();
            file.write(bytes);
            written.addAndGet(spans.size());
            writtenBytes.addAndGet(bytes.length);
            return SendResult.SUCCESS;
        } catch (IOException e) {
            writeErrors.incrementAndGet();
            LOG.warn("Cannot write spans to {}: {}", file.path(), e.getMessage());
            return SendResult.RETRY;
        }
    }

    @Override
    public Map<String, Long> counters() {
        return Map.of("written", written.get(), "written.bytes", writtenBytes.get(), "write_errors", writeErrors.get());
    }

    @Override
    public SendResult flush() {
        try {
            file.flush();
            return SendResult.SUCCESS;
        } catch (IOException e) {
            return SendResult.RETRY;
        }
    }

    static String stringOf(Map<String, Object> p, String key, String fallback, Object source) {
        Object v = p.get(key);
        String s = v == null ? fallback : v.toString().trim();
        if (s.isEmpty()) {
            throw new IllegalArgumentException(source + ": " + key + " must not be empty");
        }
        return s;
    }

    static long positive(Map<String, Object> p, String key, long fallback, Object source) {
        Object v = p.get(key);
        if (v == null) {
            return fallback;
        }
        try {
            long n = v instanceof Number num ? num.longValue() : Long.parseLong(v.toString().trim());
            if (n < 0) {
                throw new IllegalArgumentException(source + ": " + key + " = '" + v + "' must not be negative");
            }
            return n;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(source + ": " + key + " = '" + v + "' is not a whole number");
        }
    }
}
