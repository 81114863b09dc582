package org.deeptrace.store.lucene.internal;

import java.util.Locale;
import org.apache.lucene.document.Document;
import org.apache.lucene.document.Field;
import org.apache.lucene.document.LongPoint;
import org.apache.lucene.document.NumericDocValuesField;
import org.apache.lucene.document.SortedDocValuesField;
import org.apache.lucene.document.StoredField;
import org.apache.lucene.document.StringField;
import org.apache.lucene.util.BytesRef;
import org.deeptrace.api.model.Span;
import org.deeptrace.api.model.SpanKind;
import org.deeptrace.api.store.TraceAnalysis;

/**
 * One span as one Lucene document: the span itself as a compressed stored field, an inverted index over its tags
 * (every {@link TraceAnalysis#TAG_KEYS} field, exact values), points for range queries on start and duration, and
 * column values (doc values) for what queries read from many documents at once (sorting, trace ids, the
 * dependency graph, latency histograms) without decompressing spans.
 */
final class SpanDocuments {
    /** The encoded span ({@link SpanCodec}). */
    static final String SPAN = "span";
    /** Start in ns: point (ranges) and doc values (newest-first sort, retention by size). */
    static final String START = "start_ns";
    /** Duration in ns: point and doc values. */
    static final String DURATION = "duration_ns";
    /** Wall-clock milliseconds when the store received the span: point and doc values, for retention by age. */
    static final String INGESTED = "ingested_ms";
    /** The protocol in lower case, for case-insensitive matching. */
    static final String PROTOCOL_LC = "protocol_lc";
    /** Doc values: the span id and its parent's as 64-bit numbers ({@link #id64}); the parent 0 when none. */
    static final String SPAN_ID64 = "span_id64";
    static final String PARENT_ID64 = "parent_id64";
    /** Doc values: bit 0 client, bit 1 error. */
    static final String FLAGS = "flags";
    /** Doc values: what latency histograms group the span under ({@link TraceAnalysis#endpointOf}). */
    static final String LATENCY_KEY = "latency_key";
    /** The span id's index term: a span id is unique in the index (updates replace by it). */
    static final String SPAN_ID = "span_id";
    /** Doc values of these tag fields are kept besides their index terms. */
    static final String TRACE_ID = "trace_id";
    static final String COMM = "comm";
    static final String REMOTE = "remote";
    static final String HOST = "host";
    /** Doc values: the process id (its index terms are under {@code tgid}). */
    static final String TGID_DV = "tgid_dv";

    static final int CLIENT_FLAG = 1;
    static final int ERROR_FLAG = 2;

    private SpanDocuments() {
    }

    static Document toDocument(Span s, long ingestedMs) {
        Document d = new Document();
        d.add(new StoredField(SPAN, SpanCodec.encode(s)));
        for (String key : TraceAnalysis.TAG_KEYS) {
            String value = TraceAnalysis.tag(s, key);
            if (value != null) {
                d.add(new StringField(key, value, Field.Store.NO));
            }
        }
        d.add(new StringField(PROTOCOL_LC, s.protocol().toLowerCase(Locale.ROOT), Field.Store.NO));
        d.add(new LongPoint(START, s.startNs()));
        d.add(new NumericDocValuesField(START, s.startNs()));
        d.add(new LongPoint(DURATION, s.durationNs()));
        d.add(new NumericDocValuesField(DURATION, s.durationNs()));
        d.add(new LongPoint(INGESTED, ingestedMs));
        d.add(new NumericDocValuesField(INGESTED, ingestedMs));
        d.add(new NumericDocValuesField(SPAN_ID64, id64(s.spanId())));
        if (s.parentSpanId() != null) {
            d.add(new NumericDocValuesField(PARENT_ID64, id64(s.parentSpanId())));
        }
        int flags = (s.kind() == SpanKind.CLIENT ? CLIENT_FLAG : 0) | (TraceAnalysis.isError(s) ? ERROR_FLAG : 0);
        d.add(new NumericDocValuesField(FLAGS, flags));
        d.add(new SortedDocValuesField(LATENCY_KEY, new BytesRef(TraceAnalysis.endpointOf(s))));
        if (s.traceId() != null) {
            d.add(new SortedDocValuesField(TRACE_ID, new BytesRef(s.traceId())));
        }
        if (s.comm() != null) {
            d.add(new SortedDocValuesField(COMM, new BytesRef(s.comm())));
        }
        d.add(new SortedDocValuesField(REMOTE, new BytesRef(s.remote())));
        if (s.host() != null) {
            d.add(new SortedDocValuesField(HOST, new BytesRef(s.host())));
        }
        d.add(new NumericDocValuesField(TGID_DV, s.tgid()));
        return d;
    }

    /**
     * A span id as 64 bits: the contract's 16 hex digits are exactly that; any other id gets a hash (collisions
     * then only blur the dependency graph, never trace contents).
     */
    static long id64(String spanId) {
        if (spanId.length() == 16) {
            try {
                return Long.parseUnsignedLong(spanId, 16);
            } catch (NumberFormatException e) {
                // not hex: hashed below
            }
        }
        long h = 1125899906842597L;
        for (int i = 0; i < spanId.length(); i++) {
            h = 31 * h + spanId.charAt(i);
        }
        return h * 0x9E3779B97F4A7C15L;
    }

    /** The 16-hex-digit form of a 64-bit id. */
    static String hex(long id) {
        String h = Long.toHexString(id);
        return h.length() == 16 ? h : "0".repeat(16 - h.length()) + h;
    }
}
