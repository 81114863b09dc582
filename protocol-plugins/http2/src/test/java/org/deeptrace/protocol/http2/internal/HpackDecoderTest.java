package org.deeptrace.protocol.http2.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.List;
import org.deeptrace.protocol.http2.internal.HpackDecoder.Header;
import org.junit.jupiter.api.Test;

/** RFC 7541 Appendix C examples, byte for byte, plus the mid-connection (partial table) behaviour. */
class HpackDecoderTest {

    private static List<Header> decode(HpackDecoder d, String hex) {
        byte[] b = HexFormat.of().parseHex(hex.replace(" ", ""));
        return d.decode(b, 0, b.length);
    }

    private static Header h(String name, String value) {
        return new Header(name, value);
    }

    @Test
    void c2LiteralRepresentations() {
        HpackDecoder d = new HpackDecoder(false);
        assertEquals(List.of(h("custom-key", "custom-header")),
                decode(d, "400a 6375 7374 6f6d 2d6b 6579 0d63 7573 746f 6d2d 6865 6164 6572"));
        assertEquals(55, d.dynamicSize());
        HpackDecoder d2 = new HpackDecoder(false);
        assertEquals(List.of(h(":path", "/sample/path")), decode(d2, "040c 2f73 616d 706c 652f 7061 7468"));
        assertEquals(0, d2.dynamicSize());
        assertEquals(List.of(h("password", "secret")), decode(d2, "1008 7061 7373 776f 7264 0673 6563 7265 74"));
        assertEquals(0, d2.dynamicSize());
        assertEquals(List.of(h(":method", "GET")), decode(d2, "82"));
    }

    @Test
    void c3RequestsWithoutHuffman() {
        HpackDecoder d = new HpackDecoder(false);
        assertEquals(List.of(h(":method", "GET"), h(":scheme", "http"), h(":path", "/"),
                h(":authority", "www.example.com")), decode(d, "8286 8441 0f77 7777 2e65 7861 6d70 6c65 2e63 6f6d"));
        assertEquals(57, d.dynamicSize());
        assertEquals(List.of(h(":method", "GET"), h(":scheme", "http"), h(":path", "/"),
                h(":authority", "www.example.com"), h("cache-control", "no-cache")),
                decode(d, "8286 84be 5808 6e6f 2d63 6163 6865"));
        assertEquals(110, d.dynamicSize());
        assertEquals(List.of(h(":method", "GET"), h(":scheme", "https"), h(":path", "/index.html"),
                h(":authority", "www.example.com"), h("custom-key", "custom-value")),
                decode(d, "8287 85bf 400a 6375 7374 6f6d 2d6b 6579 0c63 7573 746f 6d2d 7661 6c75 65"));
        assertEquals(164, d.dynamicSize());
        assertEquals(List.of(h("custom-key", "custom-value"), h("cache-control", "no-cache"),
                h(":authority", "www.example.com")), d.dynamicEntries());
    }

    @Test
    void c4RequestsWithHuffman() {
        HpackDecoder d = new HpackDecoder(false);
        assertEquals(List.of(h(":method", "GET"), h(":scheme", "http"), h(":path", "/"),
                h(":authority", "www.example.com")), decode(d, "8286 8441 8cf1 e3c2 e5f2 3a6b a0ab 90f4 ff"));
        assertEquals(List.of(h(":method", "GET"), h(":scheme", "http"), h(":path", "/"),
                h(":authority", "www.example.com"), h("cache-control", "no-cache")),
                decode(d, "8286 84be 5886 a8eb 1064 9cbf"));
        assertEquals(List.of(h(":method", "GET"), h(":scheme", "https"), h(":path", "/index.html"),
                h(":authority", "www.example.com"), h("custom-key", "custom-value")),
                decode(d, "8287 85bf 4088 25a8 49e9 5ba9 7d7f 8925 a849 e95b b8e8 b4bf"));
        assertEquals(164, d.dynamicSize());
    }

    @Test
    void c6ResponsesWithHuffmanAndEviction() {
        HpackDecoder d = new HpackDecoder(false);
        decode(d, "3fe101"); // dynamic table size update to 256, as the RFC's example assumes
        assertEquals(List.of(h(":status", "302"), h("cache-control", "private"),
                h("date", "Mon, 21 Oct 2013 20:13:21 GMT"), h("location", "https://www.example.com")),
                decode(d, "4882 6402 5885 aec3 771a 4b61 96d0 7abe 9410 54d4 44a8 2005 9504 0b81 66e0 82a6 2d1b ff6e"
                        + "919d 29ad 1718 63c7 8f0b 97c8 e9ae 82ae 43d3"));
        assertEquals(222, d.dynamicSize());
        assertEquals(List.of(h(":status", "307"), h("cache-control", "private"),
                h("date", "Mon, 21 Oct 2013 20:13:21 GMT"), h("location", "https://www.example.com")),
                decode(d, "4883 640e ffc1 c0bf"));
        assertEquals(222, d.dynamicSize());
        assertEquals(List.of(h(":status", "200"), h("cache-control", "private"),
                h("date", "Mon, 21 Oct 2013 20:13:22 GMT"), h("location", "https://www.example.com"),
                h("content-encoding", "gzip"),
                h("set-cookie", "foo=ASDJKHQKBZXOQWEOPIUAXQWEOIU; max-age=3600; version=1")),
                decode(d, "88c1 6196 d07a be94 1054 d444 a820 0595 040b 8166 e084 a62d 1bff c05a 839b d9ab 77ad 94e7"
                        + "821d d7f2 e6c7 b335 dfdf cd5b 3960 d5af 2708 7f36 72c1 ab27 0fb5 291f 9587 3160 65c0 03ed"
                        + "4ee5 b106 3d50 07"));
        assertEquals(215, d.dynamicSize());
        assertEquals(3, d.dynamicEntries().size());
    }

    @Test
    void everySymbolRoundTripsThroughTheCodeTable() {
        // Encode each byte value with the table by hand (MSB first, EOS-prefix padding) and decode it back.
        byte[] all = new byte[256];
        for (int i = 0; i < 256; i++) {
            all[i] = (byte) i;
        }
        byte[] encoded = HuffmanTestEncoder.encode(all);
        assertTrue(java.util.Arrays.equals(all, Huffman.decode(encoded, 0, encoded.length)));
        byte[] text = "www.example.com".getBytes(StandardCharsets.US_ASCII);
        assertEquals("f1e3c2e5f23a6ba0ab90f4ff", HexFormat.of().formatHex(HuffmanTestEncoder.encode(text)));
    }

    @Test
    void badHuffmanIsRejected() {
        byte[] eos = {(byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0xff};
        assertThrows(HpackException.class, () -> Huffman.decode(eos, 0, eos.length));
        byte[] zeroPadding = {(byte) 0x00}; // '0' (00000) then padding 000: padding must be ones
        assertThrows(HpackException.class, () -> Huffman.decode(zeroPadding, 0, 1));
    }

    @Test
    void unknownDynamicEntryOfAConnectionInProgressIsUnknownNotGuessed() {
        HpackDecoder d = new HpackDecoder(true);
        // 0xbe = index 62: an entry added before the capture started.
        List<Header> headers = decode(d, "82 be 8441 0f77 7777 2e65 7861 6d70 6c65 2e63 6f6d c0");
        assertEquals(h(":method", "GET"), headers.get(0));
        assertTrue(headers.get(1).unknown());
        assertEquals(h(":path", "/"), headers.get(2));
        assertEquals(h(":authority", "www.example.com"), headers.get(3));
        assertTrue(headers.get(4).unknown(), "index 64 is past the one entry seen: " + headers.get(4));
        assertEquals(h(":authority", "www.example.com"), decode(d, "be").get(0));
        HpackDecoder complete = new HpackDecoder(false);
        assertThrows(HpackException.class, () -> decode(complete, "be"));
    }
}
