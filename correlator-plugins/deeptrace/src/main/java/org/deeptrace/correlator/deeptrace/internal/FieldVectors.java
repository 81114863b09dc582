package org.deeptrace.correlator.deeptrace.internal;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import org.deeptrace.api.model.Span;

/**
 * Persistent-field similarity: each span's request fields that a caller may forward (request id, trace id header,
 * resource, endpoint) become a vector of hashed byte trigrams, TF-IDF weighted over the window's spans. A field
 * that every span carries alike (a constant, a redacted id) gets idf 0 and links nothing; an id shared by one
 * parent and its child links them strongly. No configuration: what persists is found by the weighting.
 */
final class FieldVectors {
    static final int N = 3;

    /** A sparse unit vector: sorted hashed n-grams and their weights. */
    record Vector(int[] grams, double[] weights) {
        static final Vector EMPTY = new Vector(new int[0], new double[0]);

        boolean isEmpty() {
            return grams.length == 0;
        }

        /** Cosine of two unit vectors; NaN when either has nothing distinctive. */
        double cosine(Vector o) {
            if (isEmpty() || o.isEmpty()) {
                return Double.NaN;
            }
            double dot = 0;
            int i = 0;
            int j = 0;
            while (i < grams.length && j < o.grams.length) {
                if (grams[i] == o.grams[j]) {
                    dot += weights[i++] * o.weights[j++];
                } else if (grams[i] < o.grams[j]) {
                    i++;
                } else {
                    j++;
                }
            }
            return Math.max(0, Math.min(1, dot));
        }
    }

    private FieldVectors() {
    }

    /** Vectors for {@code spans}, with idf computed over the same spans. */
    static Vector[] of(List<Span> spans) {
        int[][] grams = new int[spans.size()][];
        int total = 0;
        for (int s = 0; s < spans.size(); s++) {
            grams[s] = grams(spans.get(s));
            total += grams[s].length;
        }
        // Document frequency without boxing: an open-addressing table of gram -> documents (grams are 24-bit, so
        // -1 marks a free slot).
        int capacity = Integer.highestOneBit(Math.max(16, total * 2)) << 1;
        int[] keys = new int[capacity];
        int[] frequency = new int[capacity];
        Arrays.fill(keys, -1);
        int mask = capacity - 1;
        for (int[] g : grams) {
            for (int gram : g) {
                int slot = slot(keys, mask, gram);
                keys[slot] = gram;
                frequency[slot]++;
            }
        }
        double documents = spans.size();
        Vector[] out = new Vector[spans.size()];
        for (int s = 0; s < spans.size(); s++) {
            out[s] = weigh(grams[s], keys, frequency, mask, documents);
        }
        return out;
    }

    /** The distinct n-grams of a span's fields (term frequency is 1: ids repeat nothing useful). */
    static int[] grams(Span span) {
        int[] buffer = new int[64];
        int n = 0;
        for (String field : new String[] {span.xRequestId(), span.traceIdHeader(), span.requestResource(),
                span.endpoint()}) {
            if (field == null) {
                continue;
            }
            byte[] b = field.getBytes(StandardCharsets.UTF_8);
            for (int i = 0; i + N <= b.length; i++) {
                if (n == buffer.length) {
                    buffer = Arrays.copyOf(buffer, n * 2);
                }
                buffer[n++] = ((b[i] & 0xff) << 16) | ((b[i + 1] & 0xff) << 8) | (b[i + 2] & 0xff);
            }
        }
        int[] g = Arrays.copyOf(buffer, n);
        Arrays.sort(g);
        int distinct = 0;
        for (int i = 0; i < g.length; i++) {
            if (i == 0 || g[i] != g[i - 1]) {
                g[distinct++] = g[i];
            }
        }
        return Arrays.copyOf(g, distinct);
    }

    private static int slot(int[] keys, int mask, int gram) {
        int slot = (gram * 0x9E3779B1) >>> 7 & mask;
        while (keys[slot] != -1 && keys[slot] != gram) {
            slot = (slot + 1) & mask;
        }
        return slot;
    }

    private static Vector weigh(int[] grams, int[] keys, int[] frequency, int mask, double documents) {
        int[] kept = new int[grams.length];
        double[] w = new double[grams.length];
        int n = 0;
        double norm = 0;
        for (int g : grams) {
            int df = frequency[slot(keys, mask, g)];
            double idf = df == documents ? 0 : Math.log(documents / df);
            if (idf > 1e-9) {
                kept[n] = g;
                w[n] = idf;
                norm += idf * idf;
                n++;
            }
        }
        if (n == 0) {
            return Vector.EMPTY;
        }
        norm = Math.sqrt(norm);
        for (int i = 0; i < n; i++) {
            w[i] /= norm;
        }
        return new Vector(Arrays.copyOf(kept, n), Arrays.copyOf(w, n));
    }
}
