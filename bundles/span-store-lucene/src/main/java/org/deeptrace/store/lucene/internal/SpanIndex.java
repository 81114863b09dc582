package org.deeptrace.store.lucene.internal;

import java.io.Closeable;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.apache.lucene.codecs.lucene912.Lucene912Codec;
import org.apache.lucene.document.Document;
import org.apache.lucene.document.LongPoint;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.index.DocValues;
import org.apache.lucene.index.IndexWriter;
import org.apache.lucene.index.IndexWriterConfig;
import org.apache.lucene.index.LeafReader;
import org.apache.lucene.index.LeafReaderContext;
import org.apache.lucene.index.NumericDocValues;
import org.apache.lucene.index.PointValues;
import org.apache.lucene.index.PostingsEnum;
import org.apache.lucene.index.ReaderUtil;
import org.apache.lucene.index.SegmentCommitInfo;
import org.apache.lucene.index.StandardDirectoryReader;
import org.apache.lucene.index.SortedDocValues;
import org.apache.lucene.index.StoredFields;
import org.apache.lucene.index.Term;
import org.apache.lucene.index.Terms;
import org.apache.lucene.index.TermsEnum;
import org.apache.lucene.index.TieredMergePolicy;
import org.apache.lucene.search.BooleanClause;
import org.apache.lucene.search.BooleanQuery;
import org.apache.lucene.search.DocIdSetIterator;
import org.apache.lucene.search.FieldDoc;
import org.apache.lucene.search.FieldExistsQuery;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.MatchAllDocsQuery;
import org.apache.lucene.search.Query;
import org.apache.lucene.search.ScoreDoc;
import org.apache.lucene.search.ScoreMode;
import org.apache.lucene.search.SearcherManager;
import org.apache.lucene.search.SimpleCollector;
import org.apache.lucene.search.Sort;
import org.apache.lucene.search.SortField;
import org.apache.lucene.search.TermQuery;
import org.apache.lucene.search.TopDocs;
import org.apache.lucene.store.Directory;
import org.apache.lucene.store.FSDirectory;
import org.apache.lucene.util.Bits;
import org.apache.lucene.util.BytesRef;
import org.deeptrace.api.model.Span;
import org.deeptrace.api.model.SpanKind;
import org.deeptrace.api.store.DependencyLink;
import org.deeptrace.api.store.DependencyLinker;
import org.deeptrace.api.store.EndpointLatency;
import org.deeptrace.api.store.SpanQuery;
import org.deeptrace.api.store.TraceAnalysis;
import org.deeptrace.api.store.TraceQuery;
import org.deeptrace.api.store.TraceSummary;

/**
 * Spans in a Lucene index in one directory: written through one {@link IndexWriter}, searched through near-real-time
 * readers (what is written is searchable after the next {@link #refresh()}, without a commit), durable after each
 * {@link #commit()}. Thread-safe: writes and queries may come from any thread.
 *
 * <p>A span id is unique in the index: a span whose id is already stored (a capture replayed twice, a sender's
 * retry) replaces the stored one instead of being added beside it.
 */
final class SpanIndex implements Closeable {
    /**
     * The index itself is kept sorted newest first (index sorting), so newest-first searches stop after the first
     * hits of each segment instead of visiting every match.
     */
    private static final Sort NEWEST_FIRST = new Sort(new SortField(SpanDocuments.START, SortField.Type.LONG, true));
    private static final Sort OLDEST_FIRST = new Sort(new SortField(SpanDocuments.START, SortField.Type.LONG));

    private final Path path;
    private final Directory directory;
    private final IndexWriter writer;
    private final SearcherManager searchers;
    /** Per (service, endpoint, kind) latency of every stored span; rebuilt after retention deletes spans. */
    private final TraceAnalysis.EndpointLatencies latencies = new TraceAnalysis.EndpointLatencies();
    /**
     * Held while spans are written and while the searcher is refreshed, so that {@link #unrefreshed} and the
     * searcher together always cover every stored span id.
     */
    private final Object ingest = new Object();
    /** Ids of the spans written since the last refresh: not yet visible to searches. Guarded by {@link #ingest}. */
    private final Set<String> unrefreshed = new HashSet<>();
    /** Set when spans were replaced: the histograms counted the old ones and are rebuilt before they answer. */
    private volatile boolean latenciesStale;

    /** Opens the index in {@code path}, creating it (and the directories) when absent. */
    SpanIndex(Path path) throws IOException {
        this.path = path;
        Files.createDirectories(path);
        this.directory = FSDirectory.open(path);
        IndexWriterConfig config = new IndexWriterConfig()
                .setOpenMode(IndexWriterConfig.OpenMode.CREATE_OR_APPEND)
                .setCodec(new Lucene912Codec(Lucene912Codec.Mode.BEST_COMPRESSION))
                .setIndexSort(NEWEST_FIRST)
                .setRAMBufferSizeMB(32)
                .setCommitOnClose(true);
        TieredMergePolicy merges = new TieredMergePolicy();
        merges.setDeletesPctAllowed(25);
        config.setMergePolicy(merges);
        IndexWriter w;
        try {
            w = new IndexWriter(directory, config);
        } catch (IOException | RuntimeException e) {
            directory.close();
            throw e;
        }
        this.writer = w;
        this.searchers = new SearcherManager(writer, null);
        rebuildLatencies();
    }

    Path path() {
        return path;
    }

    /**
     * Adds spans; searchable after the next {@link #refresh()}, durable after the next {@link #commit()}. A span
     * whose id is stored already (or comes twice in the batch) replaces the stored one: the last one written wins.
     */
    void add(List<Span> spans, long ingestedMs) throws IOException {
        List<Document> docs = new ArrayList<>(spans.size());
        for (Span s : spans) {
            docs.add(SpanDocuments.toDocument(s, ingestedMs));
        }
        synchronized (ingest) {
            if (!anyStored(spans)) {
                // The common case: new spans only, added without a delete by term per span.
                writer.addDocuments(docs);
                synchronized (latencies) {
                    for (Span s : spans) {
                        latencies.add(s.comm(), TraceAnalysis.endpointOf(s), s.kind(), s.durationNs(),
                                TraceAnalysis.isError(s));
                    }
                }
            } else {
                for (int i = 0; i < docs.size(); i++) {
                    writer.updateDocument(new Term(SpanDocuments.SPAN_ID, spans.get(i).spanId()), docs.get(i));
                }
                latenciesStale = true;
            }
            for (Span s : spans) {
                unrefreshed.add(s.spanId());
            }
        }
    }

    /**
     * True when a span id of the batch is stored already, written but not yet searchable, or twice in it. A stored
     * copy of a span has its start, so only segments whose start range overlaps the batch's are looked into: for
     * live traffic the newest one or two, not the whole index.
     */
    private boolean anyStored(List<Span> spans) throws IOException {
        Set<String> batch = new HashSet<>();
        long minStart = Long.MAX_VALUE;
        long maxStart = Long.MIN_VALUE;
        for (Span s : spans) {
            if (!batch.add(s.spanId()) || unrefreshed.contains(s.spanId())) {
                return true;
            }
            minStart = Math.min(minStart, s.startNs());
            maxStart = Math.max(maxStart, s.startNs());
        }
        List<BytesRef> ids = new ArrayList<>(batch.size());
        batch.forEach(id -> ids.add(new BytesRef(id)));
        ids.sort(null); // seeks in term order
        long from = minStart;
        long to = maxStart;
        return withSearcher(s -> {
            for (LeafReaderContext leaf : s.getIndexReader().leaves()) {
                if (overlaps(leaf.reader().getPointValues(SpanDocuments.START), from, to)
                        && anyLive(leaf.reader(), ids)) {
                    return true;
                }
            }
            return false;
        });
    }

    private static boolean overlaps(PointValues starts, long from, long to) throws IOException {
        if (starts == null) {
            return false; // no spans in the segment
        }
        long min = LongPoint.decodeDimension(starts.getMinPackedValue(), 0);
        long max = LongPoint.decodeDimension(starts.getMaxPackedValue(), 0);
        return min <= to && max >= from;
    }

    /** True when a live document of the segment has one of the span ids (sorted). */
    private static boolean anyLive(LeafReader reader, List<BytesRef> ids) throws IOException {
        Terms terms = reader.terms(SpanDocuments.SPAN_ID);
        if (terms == null) {
            return false;
        }
        TermsEnum te = terms.iterator();
        Bits live = reader.getLiveDocs();
        PostingsEnum postings = null;
        for (BytesRef id : ids) {
            if (te.seekExact(id)) {
                postings = te.postings(postings, PostingsEnum.NONE);
                for (int d = postings.nextDoc(); d != DocIdSetIterator.NO_MORE_DOCS; d = postings.nextDoc()) {
                    if (live == null || live.get(d)) {
                        return true;
                    }
                }
            }
        }
        return false;
    }

    /** Makes everything added so far searchable. */
    void refresh() throws IOException {
        synchronized (ingest) {
            // Blocking: a refresh another thread has under way may predate what the caller just wrote.
            searchers.maybeRefreshBlocking();
            unrefreshed.clear();
        }
    }

    /** Makes everything added so far durable; a no-op when nothing changed. */
    void commit() throws IOException {
        if (writer.hasUncommittedChanges()) {
            writer.commit();
        }
    }

    long size() throws IOException {
        return withSearcher(s -> (long) s.getIndexReader().numDocs());
    }

    /** Bytes of the index files in the directory (the live index plus anything not yet merged away). */
    long diskBytes() throws IOException {
        long total = 0;
        for (String file : directory.listAll()) {
            try {
                total += directory.fileLength(file);
            } catch (NoSuchFileException e) {
                // deleted by a merge meanwhile
            }
        }
        return total;
    }

    /**
     * Bytes of the live spans in the segments the current reader sees (committed or not): each segment's size times
     * its share of live documents, without files of merged-away segments still waiting for deletion. Retention by
     * size is measured with this; the disk may hold more for a while, until merges reclaim deleted spans.
     */
    long liveBytes() throws IOException {
        refresh();
        return withSearcher(s -> {
            long total = 0;
            for (SegmentCommitInfo info : ((StandardDirectoryReader) s.getIndexReader()).getSegmentInfos()) {
                // A segment's deleted spans still take its bytes until a merge rewrites it, which Lucene does when
                // its policy sees fit: count the live share, so retention deletes what the limit asks, not more.
                int maxDoc = info.info.maxDoc();
                int live = maxDoc - info.getDelCount() - info.getSoftDelCount();
                total += maxDoc == 0 ? 0 : (long) (info.sizeInBytes() * ((double) live / maxDoc));
            }
            return total;
        });
    }

    List<Span> find(SpanQuery q) throws IOException {
        BooleanQuery.Builder b = new BooleanQuery.Builder().add(new MatchAllDocsQuery(), BooleanClause.Occur.MUST);
        if (q.protocol() != null) {
            filter(b, SpanDocuments.PROTOCOL_LC, q.protocol().toLowerCase(Locale.ROOT));
        }
        if (q.endpoint() != null) {
            filter(b, "endpoint", q.endpoint());
        }
        if (q.tgid() != 0) {
            filter(b, "tgid", Integer.toString(q.tgid()));
        }
        if (q.limit() == 0) {
            return List.of();
        }
        return withSearcher(s -> spans(s, s.search(b.build(), q.limit(), NEWEST_FIRST).scoreDocs));
    }

    List<Span> trace(String traceId) throws IOException {
        return withSearcher(s -> traceSpans(s, traceId));
    }

    /**
     * Matching spans are read newest first, a page at a time, keeping the distinct traces they belong to with each
     * trace's start (its earliest span, matching or not). Traces rank by that start, as in
     * {@link TraceAnalysis#traces}, not by their newest matching span: reading stops once {@code limit} traces start
     * after the newest matching span not yet read (no unread trace can rank above them), or the matches run out.
     */
    List<TraceSummary> traces(TraceQuery q) throws IOException {
        if (q.limit() == 0) {
            return List.of();
        }
        Query query = toQuery(q);
        return withSearcher(s -> {
            Map<String, Long> starts = new HashMap<>();
            int page = Math.min(10_000, Math.max(64, q.limit() * 8));
            ScoreDoc after = null;
            List<String> chosen;
            while (true) {
                TopDocs top = after == null ? s.search(query, page, NEWEST_FIRST)
                        : s.searchAfter(after, query, page, NEWEST_FIRST);
                List<LeafReaderContext> leaves = s.getIndexReader().leaves();
                for (ScoreDoc d : top.scoreDocs) {
                    LeafReaderContext leaf = leaves.get(ReaderUtil.subIndex(d.doc, leaves));
                    SortedDocValues traceIds = DocValues.getSorted(leaf.reader(), SpanDocuments.TRACE_ID);
                    if (traceIds.advanceExact(d.doc - leaf.docBase)) {
                        String id = traceIds.lookupOrd(traceIds.ordValue()).utf8ToString();
                        if (!starts.containsKey(id)) {
                            starts.put(id, traceStart(s, id));
                        }
                    }
                }
                chosen = newest(starts, q.limit());
                if (top.scoreDocs.length < page) {
                    break;
                }
                after = top.scoreDocs[top.scoreDocs.length - 1];
                long frontier = (Long) ((FieldDoc) after).fields[0];
                if (chosen.size() == q.limit() && starts.get(chosen.get(chosen.size() - 1)) > frontier) {
                    break;
                }
            }
            List<TraceSummary> out = new ArrayList<>(chosen.size());
            for (String id : chosen) {
                List<Span> spans = traceSpans(s, id);
                if (!spans.isEmpty()) {
                    out.add(TraceAnalysis.summarize(id, spans));
                }
            }
            out.sort(TraceAnalysis.NEWEST_FIRST);
            return out;
        });
    }

    /** The start of a trace: its earliest span's, read from the sort values (no stored span is decoded). */
    private static long traceStart(IndexSearcher s, String traceId) throws IOException {
        ScoreDoc[] first = s.search(new TermQuery(new Term(SpanDocuments.TRACE_ID, traceId)), 1, OLDEST_FIRST)
                .scoreDocs;
        return first.length == 0 ? Long.MIN_VALUE : (Long) ((FieldDoc) first[0]).fields[0];
    }

    /** The {@code limit} traces that started last, ties by trace id ({@link TraceAnalysis#NEWEST_FIRST}). */
    private static List<String> newest(Map<String, Long> starts, int limit) {
        return starts.entrySet().stream()
                .sorted(Comparator.<Map.Entry<String, Long>>comparingLong(Map.Entry::getValue).reversed()
                        .thenComparing(Map.Entry::getKey))
                .limit(limit)
                .map(Map.Entry::getKey)
                .toList();
    }

    List<DependencyLink> dependencies(long startNs, long endNs) throws IOException {
        DependencyLinker linker = new DependencyLinker();
        withSearcher(s -> {
            s.search(LongPoint.newRangeQuery(SpanDocuments.START, startNs, endNs), new ColumnCollector() {
                @Override
                public void collect(int doc) throws IOException {
                    long flags = flags(doc);
                    boolean client = (flags & SpanDocuments.CLIENT_FLAG) != 0;
                    String parent = parentId.advanceExact(doc) ? SpanDocuments.hex(parentId.longValue()) : null;
                    linker.add(SpanDocuments.hex(spanId.advanceExact(doc) ? spanId.longValue() : 0), parent,
                            client ? SpanKind.CLIENT : SpanKind.SERVER, text(host, doc),
                            tgid.advanceExact(doc) ? (int) tgid.longValue() : 0, text(comm, doc),
                            client ? text(remote, doc) : null, start.advanceExact(doc) ? start.longValue() : 0,
                            duration(doc), (flags & SpanDocuments.ERROR_FLAG) != 0);
                }
            });
            return null;
        });
        return linker.links(TraceAnalysis.rangeSeconds(startNs, endNs));
    }

    List<EndpointLatency> endpointLatency(String service, long startNs, long endNs) throws IOException {
        if (startNs <= 0 && endNs == Long.MAX_VALUE) {
            if (latenciesStale) {
                rebuildLatencies();
            }
            synchronized (latencies) {
                return latencies.of(service);
            }
        }
        TraceAnalysis.EndpointLatencies acc = new TraceAnalysis.EndpointLatencies();
        Query q = new BooleanQuery.Builder()
                .add(new TermQuery(new Term(SpanDocuments.COMM, service)), BooleanClause.Occur.FILTER)
                .add(LongPoint.newRangeQuery(SpanDocuments.START, startNs, endNs), BooleanClause.Occur.FILTER)
                .build();
        withSearcher(s -> {
            s.search(q, latencyCollector(acc));
            return null;
        });
        return acc.of(service);
    }

    /**
     * Deletes the spans received before {@code cutoffMs} (wall clock).
     *
     * @return whether any were deleted
     */
    boolean deleteReceivedBefore(long cutoffMs) throws IOException {
        Query old = LongPoint.newRangeQuery(SpanDocuments.INGESTED, Long.MIN_VALUE, cutoffMs - 1);
        long n = withSearcher(s -> (long) s.count(old));
        if (n == 0) {
            return false;
        }
        writer.deleteDocuments(old);
        afterDelete();
        return true;
    }

    /**
     * Deletes the oldest spans (by start) until the index fits in {@code maxBytes}, merging the freed space away.
     *
     * @return the number of spans deleted
     */
    static final int MAX_SHRINK_ROUNDS = 20;

    long shrinkTo(long maxBytes) throws IOException {
        long deleted = 0;
        // Stored fields compress by block, so deleting a share of the spans frees somewhat less than that share
        // of the bytes: a few rounds may be needed, each measuring again.
        for (int round = 0; round < MAX_SHRINK_ROUNDS; round++) {
            long bytes = liveBytes();
            long docs = size();
            if (bytes <= maxBytes || docs == 0) {
                break;
            }
            // Aim 10% below the limit so the next spans do not trigger another round at once.
            double bytesPerSpan = (double) bytes / docs;
            int victims = (int) Math.min(docs, Math.max(1, Math.ceil((bytes - maxBytes * 0.9) / bytesPerSpan)));
            long cutoff = withSearcher(s -> {
                ScoreDoc[] oldest = s.search(new MatchAllDocsQuery(), victims, OLDEST_FIRST).scoreDocs;
                return (Long) ((FieldDoc) oldest[oldest.length - 1]).fields[0];
            });
            Query old = LongPoint.newRangeQuery(SpanDocuments.START, Long.MIN_VALUE, cutoff);
            deleted += withSearcher(s -> (long) s.count(old));
            writer.deleteDocuments(old);
            writer.forceMergeDeletes(true);
            afterDelete();
        }
        return deleted;
    }

    private void afterDelete() throws IOException {
        writer.commit();
        refresh();
        // Files of merged-away segments go once no reader holds them; without this, the next size check would
        // still count them and delete more spans than needed.
        writer.deleteUnusedFiles();
        rebuildLatencies();
    }

    /**
     * Recomputes the latency histograms from the index (at open, after retention deleted spans, after spans were
     * replaced). Holds off writers meanwhile, so no span is counted twice or missed.
     */
    private void rebuildLatencies() throws IOException {
        synchronized (ingest) {
            latenciesStale = false;
            refresh();
            TraceAnalysis.EndpointLatencies fresh = new TraceAnalysis.EndpointLatencies();
            withSearcher(s -> {
                s.search(new MatchAllDocsQuery(), latencyCollector(fresh));
                return null;
            });
            synchronized (latencies) {
                latencies.clear();
                latencies.addAll(fresh);
            }
        }
    }

    @Override
    public void close() throws IOException {
        try {
            searchers.close();
            writer.close(); // commits (commitOnClose)
        } finally {
            directory.close();
        }
    }

    private static Query toQuery(TraceQuery q) {
        BooleanQuery.Builder b = new BooleanQuery.Builder().add(new MatchAllDocsQuery(), BooleanClause.Occur.MUST);
        if (q.service() != null) {
            filter(b, SpanDocuments.COMM, q.service());
        }
        if (q.endpoint() != null) {
            filter(b, "endpoint", q.endpoint());
        }
        if (q.protocol() != null) {
            filter(b, SpanDocuments.PROTOCOL_LC, q.protocol().toLowerCase(Locale.ROOT));
        }
        if (q.status() != null) {
            filter(b, "response_status", q.status().wireName());
        }
        for (Map.Entry<String, String> t : q.tags().entrySet()) {
            filter(b, t.getKey(), t.getValue());
        }
        if (q.minDurationNs() > 0 || q.maxDurationNs() < Long.MAX_VALUE) {
            b.add(LongPoint.newRangeQuery(SpanDocuments.DURATION, q.minDurationNs(), q.maxDurationNs()),
                    BooleanClause.Occur.FILTER);
        }
        if (q.startNs() > 0 || q.endNs() < Long.MAX_VALUE) {
            b.add(LongPoint.newRangeQuery(SpanDocuments.START, q.startNs(), q.endNs()), BooleanClause.Occur.FILTER);
        }
        // Spans without a trace id belong to no trace.
        b.add(new FieldExistsQuery(SpanDocuments.TRACE_ID), BooleanClause.Occur.FILTER);
        return b.build();
    }

    private static void filter(BooleanQuery.Builder b, String field, String value) {
        b.add(new TermQuery(new Term(field, value)), BooleanClause.Occur.FILTER);
    }

    private static List<Span> traceSpans(IndexSearcher s, String traceId) throws IOException {
        Query q = new TermQuery(new Term(SpanDocuments.TRACE_ID, traceId));
        int n = s.count(q);
        if (n == 0) {
            return List.of();
        }
        List<Span> spans = spans(s, s.search(q, n).scoreDocs);
        spans.sort(Comparator.comparingLong(Span::startNs).thenComparing(Span::spanId));
        return spans;
    }

    private static List<Span> spans(IndexSearcher s, ScoreDoc[] docs) throws IOException {
        StoredFields stored = s.storedFields();
        List<Span> out = new ArrayList<>(docs.length);
        for (ScoreDoc d : docs) {
            BytesRef bytes = stored.document(d.doc, Set.of(SpanDocuments.SPAN)).getBinaryValue(SpanDocuments.SPAN);
            out.add(SpanCodec.decode(bytes));
        }
        return out;
    }

    private static ColumnCollector latencyCollector(TraceAnalysis.EndpointLatencies acc) {
        return new ColumnCollector() {
            @Override
            public void collect(int doc) throws IOException {
                long flags = flags(doc);
                acc.add(text(comm, doc), text(latencyKey, doc),
                        (flags & SpanDocuments.CLIENT_FLAG) != 0 ? SpanKind.CLIENT : SpanKind.SERVER, duration(doc),
                        (flags & SpanDocuments.ERROR_FLAG) != 0);
            }
        };
    }

    /** Reads span columns (doc values) of every matching document, never the stored spans. */
    private abstract static class ColumnCollector extends SimpleCollector {
        NumericDocValues start;
        NumericDocValues duration;
        NumericDocValues flags;
        NumericDocValues spanId;
        NumericDocValues parentId;
        NumericDocValues tgid;
        SortedDocValues comm;
        SortedDocValues host;
        SortedDocValues remote;
        SortedDocValues latencyKey;

        @Override
        protected void doSetNextReader(LeafReaderContext context) throws IOException {
            start = DocValues.getNumeric(context.reader(), SpanDocuments.START);
            duration = DocValues.getNumeric(context.reader(), SpanDocuments.DURATION);
            flags = DocValues.getNumeric(context.reader(), SpanDocuments.FLAGS);
            spanId = DocValues.getNumeric(context.reader(), SpanDocuments.SPAN_ID64);
            parentId = DocValues.getNumeric(context.reader(), SpanDocuments.PARENT_ID64);
            tgid = DocValues.getNumeric(context.reader(), SpanDocuments.TGID_DV);
            comm = DocValues.getSorted(context.reader(), SpanDocuments.COMM);
            host = DocValues.getSorted(context.reader(), SpanDocuments.HOST);
            remote = DocValues.getSorted(context.reader(), SpanDocuments.REMOTE);
            latencyKey = DocValues.getSorted(context.reader(), SpanDocuments.LATENCY_KEY);
        }

        @Override
        public ScoreMode scoreMode() {
            return ScoreMode.COMPLETE_NO_SCORES;
        }

        long flags(int doc) throws IOException {
            return flags.advanceExact(doc) ? flags.longValue() : 0;
        }

        long duration(int doc) throws IOException {
            return duration.advanceExact(doc) ? duration.longValue() : 0;
        }

        static String text(SortedDocValues values, int doc) throws IOException {
            return values.advanceExact(doc) ? values.lookupOrd(values.ordValue()).utf8ToString() : null;
        }
    }

    private interface SearcherTask<T> {
        T run(IndexSearcher searcher) throws IOException;
    }

    private <T> T withSearcher(SearcherTask<T> task) throws IOException {
        IndexSearcher s = searchers.acquire();
        try {
            return task.run(s);
        } finally {
            searchers.release(s);
        }
    }

    /** Wraps the checked exception for callers whose interface has none. */
    static UncheckedIOException unchecked(String what, IOException e) {
        return new UncheckedIOException(what + ": " + e.getMessage(), e);
    }
}
