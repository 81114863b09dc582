package org.deeptrace.protocol.http2.internal;

import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

/**
 * One direction's HPACK decoder (RFC 7541): static table, dynamic table with size updates and eviction, integer
 * and string literals, Huffman strings.
 *
 * <p>A capture can start in the middle of a connection, or lose a header block: the dynamic table then holds
 * entries this decoder never saw. It is then "partial": the entries it did see are the newest ones (indices
 * count from the newest), so they keep their indices, and an index past them names an unknown entry. That header
 * is returned with a {@code null} name and value, never guessed. Eviction stays right too: the unknown entries are
 * older, so the peer evicts them before any entry known here.
 */
final class HpackDecoder {

    /** A decoded header; {@code name == null} when it referred to an unknown dynamic-table entry. */
    record Header(String name, String value) {
        boolean unknown() {
            return name == null;
        }
    }

    private static final String[][] STATIC = {
        {":authority", ""}, {":method", "GET"}, {":method", "POST"}, {":path", "/"}, {":path", "/index.html"},
        {":scheme", "http"}, {":scheme", "https"}, {":status", "200"}, {":status", "204"}, {":status", "206"},
        {":status", "304"}, {":status", "400"}, {":status", "404"}, {":status", "500"}, {"accept-charset", ""},
        {"accept-encoding", "gzip, deflate"}, {"accept-language", ""}, {"accept-ranges", ""}, {"accept", ""},
        {"access-control-allow-origin", ""}, {"age", ""}, {"allow", ""}, {"authorization", ""},
        {"cache-control", ""}, {"content-disposition", ""}, {"content-encoding", ""}, {"content-language", ""},
        {"content-length", ""}, {"content-location", ""}, {"content-range", ""}, {"content-type", ""},
        {"cookie", ""}, {"date", ""}, {"etag", ""}, {"expect", ""}, {"expires", ""}, {"from", ""}, {"host", ""},
        {"if-match", ""}, {"if-modified-since", ""}, {"if-none-match", ""}, {"if-range", ""},
        {"if-unmodified-since", ""}, {"last-modified", ""}, {"link", ""}, {"location", ""}, {"max-forwards", ""},
        {"proxy-authenticate", ""}, {"proxy-authorization", ""}, {"range", ""}, {"referer", ""}, {"refresh", ""},
        {"retry-after", ""}, {"server", ""}, {"set-cookie", ""}, {"strict-transport-security", ""},
        {"transfer-encoding", ""}, {"user-agent", ""}, {"vary", ""}, {"via", ""}, {"www-authenticate", ""},
    };

    /** Newest first. */
    private final ArrayDeque<Header> dynamic = new ArrayDeque<>();
    private long dynamicSize;
    private long maxSize = 4096;
    private boolean partial;
    private int pos;

    HpackDecoder(boolean partial) {
        this.partial = partial;
    }

    /** Forget the table: a header block was lost, so later indices may refer to entries never seen. */
    void desync() {
        dynamic.clear();
        dynamicSize = 0;
        partial = true;
    }

    /** The connection starts here: an empty table of the default size, every index known. */
    void reset() {
        dynamic.clear();
        dynamicSize = 0;
        maxSize = 4096;
        partial = false;
    }

    boolean partial() {
        return partial;
    }

    long dynamicSize() {
        return dynamicSize;
    }

    List<Header> dynamicEntries() {
        return List.copyOf(dynamic);
    }

    /** Decodes a whole header block; on {@link HpackException} the table state is undefined (call desync). */
    List<Header> decode(byte[] block, int off, int len) {
        List<Header> out = new ArrayList<>();
        pos = off;
        int end = off + len;
        while (pos < end) {
            int b = block[pos] & 0xff;
            if ((b & 0x80) != 0) {
                long index = readInt(block, end, 7);
                out.add(lookup(index));
            } else if ((b & 0xc0) == 0x40) {
                Header h = literal(block, end, 6);
                out.add(h);
                if (h.unknown()) {
                    partial = true; // the peer added an entry whose name we do not know: we cannot mirror it
                    dynamic.clear();
                    dynamicSize = 0;
                } else {
                    add(h);
                }
            } else if ((b & 0xe0) == 0x20) {
                long size = readInt(block, end, 5);
                if (size > (1L << 24)) {
                    throw new HpackException("table size update too large");
                }
                maxSize = size;
                evict();
            } else {
                out.add(literal(block, end, 4)); // without indexing (0000) or never indexed (0001)
            }
        }
        return out;
    }

    private Header literal(byte[] block, int end, int prefix) {
        long index = readInt(block, end, prefix);
        String name;
        if (index == 0) {
            name = readString(block, end);
        } else {
            Header ref = lookup(index);
            name = ref.name();
        }
        String value = readString(block, end);
        return name == null ? new Header(null, null) : new Header(name, value);
    }

    private Header lookup(long index) {
        if (index <= 0) {
            throw new HpackException("index 0");
        }
        if (index <= STATIC.length) {
            String[] s = STATIC[(int) index - 1];
            return new Header(s[0], s[1]);
        }
        long d = index - STATIC.length;
        if (d <= dynamic.size()) {
            Iterator<Header> it = dynamic.iterator();
            Header h = null;
            for (long i = 0; i < d; i++) {
                h = it.next();
            }
            return h;
        }
        if (partial) {
            return new Header(null, null);
        }
        throw new HpackException("index beyond the dynamic table");
    }

    private void add(Header h) {
        long size = entrySize(h);
        dynamic.addFirst(h);
        dynamicSize += size;
        evict();
    }

    private void evict() {
        while (dynamicSize > maxSize && !dynamic.isEmpty()) {
            dynamicSize -= entrySize(dynamic.removeLast());
        }
    }

    private static long entrySize(Header h) {
        // RFC 7541 4.1: octet lengths plus 32. Header strings are ISO-8859-1, one char per octet.
        return h.name().length() + h.value().length() + 32L;
    }

    private long readInt(byte[] block, int end, int prefix) {
        int max = (1 << prefix) - 1;
        long value = block[pos++] & max;
        if (value < max) {
            return value;
        }
        int shift = 0;
        while (true) {
            if (pos >= end) {
                throw new HpackException("truncated integer");
            }
            int b = block[pos++] & 0xff;
            value += (long) (b & 0x7f) << shift;
            shift += 7;
            if ((b & 0x80) == 0) {
                return value;
            }
            if (shift > 28) {
                throw new HpackException("integer too large");
            }
        }
    }

    private String readString(byte[] block, int end) {
        if (pos >= end) {
            throw new HpackException("truncated string");
        }
        boolean huffman = (block[pos] & 0x80) != 0;
        long len = readInt(block, end, 7);
        if (len > end - pos) {
            throw new HpackException("truncated string");
        }
        int n = (int) len;
        String s = huffman ? new String(Huffman.decode(block, pos, n), StandardCharsets.ISO_8859_1)
                : new String(block, pos, n, StandardCharsets.ISO_8859_1);
        pos += n;
        return s;
    }
}
