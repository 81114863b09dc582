package org.deeptrace.sender.opensearch.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.net.URI;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SenderSettingsTest {
    private static final String FILE = "/opt/deeptrace/etc/org.deeptrace.sender.opensearch.cfg";

    @Test
    void defaultsAreDisabledLocalhostAndDailyIndices() {
        SenderSettings s = SenderSettings.from(Map.of());
        assertFalse(s.enabled());
        assertEquals(List.of(URI.create("http://127.0.0.1:9200")), s.urls());
        assertEquals("deeptrace-spans-", s.indexPrefix());
        assertEquals(1000, s.bulkActions());
        assertEquals(5120 * 1024, s.bulkBytes());
        assertEquals(7, s.retentionDays());
        assertEquals(1024L << 20, s.spoolMaxBytes());
        assertEquals(SenderSettings.TimestampSource.AUTO, s.timestamp());
    }

    @Test
    void urlsAreACommaSeparatedCluster() {
        SenderSettings s = SenderSettings.from(Map.of("urls", " http://a:9200, https://b:9201 ,"));
        assertEquals(List.of(URI.create("http://a:9200"), URI.create("https://b:9201")), s.urls());
    }

    @Test
    void badValuesNameTheFileTheKeyAndTheReason() {
        assertEquals(FILE + ": bulk_actions = 'lots' is not a whole number", error("bulk_actions", "lots"));
        assertEquals(FILE + ": bulk_actions = '0' must be between 1 and 100000", error("bulk_actions", "0"));
        assertEquals(FILE + ": retention_days = '-1' must be between 0 and 36500", error("retention_days", "-1"));
        assertEquals(FILE + ": enabled = 'yes' is not true or false", error("enabled", "yes"));
        assertEquals(FILE + ": urls = 'ftp://x' has 'ftp://x', not an http:// or https:// URL with a host",
                error("urls", "ftp://x"));
        assertEquals(FILE + ": urls = ',' names no URL", error("urls", " , "));
        assertEquals(FILE + ": index_prefix = 'Spans-' is not a valid OpenSearch index name start (lowercase, no "
                + "\\/*?\"<>| ,#:, not starting with _ - +)", error("index_prefix", "Spans-"));
        assertEquals(FILE + ": timestamp = 'later' is not one of auto, start_ns, received", error("timestamp", "later"));
        assertEquals(FILE + ": spool_path = '' must not be empty", error("spool_path", " "));
    }

    private static String error(String key, String value) {
        return assertThrows(IllegalArgumentException.class,
                () -> SenderSettings.from(Map.of(key, value, "felix.fileinstall.filename", "file:" + FILE)))
                .getMessage();
    }
}
