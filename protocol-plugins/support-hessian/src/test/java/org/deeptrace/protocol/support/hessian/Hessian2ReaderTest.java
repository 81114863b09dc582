package org.deeptrace.protocol.support.hessian;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Strings (as Dubbo's hessian-lite writes them) and object definitions (final and sofa-hessian's draft form). */
class Hessian2ReaderTest {

    private static Hessian2Reader reader(byte[] b) {
        return new Hessian2Reader(b, 0, b.length);
    }

    @Test
    void shortMediumLongAndNull() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        Hessian2Strings.writeString(out, "abc");
        Hessian2Strings.writeString(out, "m".repeat(500));
        Hessian2Strings.writeString(out, "L".repeat(3000));
        Hessian2Strings.writeString(out, null);
        Hessian2Strings.writeString(out, "");
        Hessian2Reader r = reader(out.toByteArray());
        assertEquals("abc", r.readString(100));
        assertEquals("m".repeat(500), r.readString(1000));
        assertEquals("L".repeat(100), r.readString(100), "kept at most maxChars, all consumed");
        assertNull(r.readString(100));
        assertEquals("", r.readString(100));
        assertTrue(r.ok());
        assertEquals(-1, r.peek());
    }

    @Test
    void lengthsCountUtf16CharactersOverCesu8AndUtf8() {
        String s = "\u00fc\u4e16\ud83d\ude00!"; // 2-byte, 3-byte, a surrogate pair, ASCII: 5 UTF-16 characters
        ByteArrayOutputStream cesu = new ByteArrayOutputStream();
        Hessian2Strings.writeString(cesu, s);
        assertEquals(s, reader(cesu.toByteArray()).readString(100));

        byte[] utf8 = s.getBytes(StandardCharsets.UTF_8); // the emoji as one 4-byte sequence
        byte[] b = new byte[utf8.length + 1];
        b[0] = 5;
        System.arraycopy(utf8, 0, b, 1, utf8.length);
        assertEquals(s, reader(b).readString(100));
    }

    @Test
    void chunkedStrings() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write('R');
        out.write(0);
        out.write(3);
        out.writeBytes("abc".getBytes(StandardCharsets.US_ASCII));
        out.write('R');
        out.write(0);
        out.write(2);
        out.writeBytes("de".getBytes(StandardCharsets.US_ASCII));
        out.write(0x01); // final chunk, short form
        out.write('f');
        assertEquals("abcdef", reader(out.toByteArray()).readString(100));
    }

    @Test
    void truncatedAndInvalid() {
        Hessian2Reader cut = reader(new byte[] {0x05, 'a', 'b'});
        assertNull(cut.readString(100));
        assertEquals(Hessian2Reader.Failure.TRUNCATED, cut.failure());
        assertEquals("ab", cut.partial());

        Hessian2Reader badCode = reader(new byte[] {(byte) 0x91});
        assertNull(badCode.readString(100));
        assertEquals(Hessian2Reader.Failure.INVALID, badCode.failure());

        Hessian2Reader badContinuation = reader(new byte[] {0x01, (byte) 0xc3, 'x'});
        assertNull(badContinuation.readString(100));
        assertEquals(Hessian2Reader.Failure.INVALID, badContinuation.failure());

        Hessian2Reader lone = reader(new byte[] {0x01, (byte) 0xff});
        assertNull(lone.readString(100));
        assertEquals(Hessian2Reader.Failure.INVALID, lone.failure());
        assertNull(lone.readString(100), "a failed reader reads nothing more");
    }

    @Test
    void neverReadsPastTheLimit() {
        byte[] b = {0x03, 'a', 'b', 'c'};
        Hessian2Reader r = new Hessian2Reader(b, 0, 3);
        assertNull(r.readString(100));
        assertEquals(Hessian2Reader.Failure.TRUNCATED, r.failure());
        Hessian2Reader big = reader(new byte[] {'S', (byte) 0xff, (byte) 0xff, 'a'});
        assertNull(big.readString(100));
        assertEquals(3, big.position() - 1, "stopped at the end of the bytes");
    }

    @Test
    void classDefinitionName() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write('C');
        Hessian2Strings.writeString(out, "org.example.BoomException");
        Hessian2Reader r = reader(out.toByteArray());
        assertEquals("org.example.BoomException", r.readClassDefinitionName(100));
        assertNull(reader(new byte[] {'N'}).readClassDefinitionName(100));
    }

    @Test
    void draftClassDefinitionAsSofaHessianWritesIt() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write('O');
        out.write(0x90 + 5);
        out.writeBytes("a.B.C".getBytes(StandardCharsets.US_ASCII));
        out.write(0x92);
        out.write(1);
        out.write('x');
        out.write(2);
        out.writeBytes("yz".getBytes(StandardCharsets.US_ASCII));
        out.write('o');
        out.write(0x90);
        out.write('T');
        Hessian2Reader r = reader(out.toByteArray());
        Hessian2Reader.ClassDefinition def = r.readClassDefinition(100, 10);
        assertEquals("a.B.C", def.name());
        assertEquals(List.of("x", "yz"), def.fields());
        assertTrue(def.draft());
        assertTrue(r.skipInstanceStart(def));
        assertEquals('T', r.read());
    }

    @Test
    void finalClassDefinitionAndInstance() {
        byte[] b = {'C', 0x03, 'a', '.', 'B', (byte) 0x91, 0x01, 'f', 0x60, 'F'};
        Hessian2Reader r = reader(b);
        Hessian2Reader.ClassDefinition def = r.readClassDefinition(100, 10);
        assertEquals("a.B", def.name());
        assertFalse(def.draft());
        assertTrue(r.skipInstanceStart(def));
        assertEquals('F', r.read());
    }

    @Test
    void intForms() {
        byte[] b = {(byte) 0x90, (byte) 0xbf, (byte) 0xc8, 0x10, (byte) 0xd4, 0x01, 0x00, 'I', 0, 1, 0, 0};
        Hessian2Reader r = reader(b);
        assertEquals(0, r.readInt());
        assertEquals(47, r.readInt());
        assertEquals(16, r.readInt());
        assertEquals(256, r.readInt());
        assertEquals(65536, r.readInt());
        assertTrue(r.ok());
    }

    @Test
    void boundedAndNeverThrowing() {
        assertNull(reader(new byte[] {'O', (byte) 0xbf, 'a'}).readClassDefinition(100, 10), "name cut");
        Hessian2Reader tooMany = reader(new byte[] {'C', 0x01, 'a', (byte) 0xbf});
        assertNull(tooMany.readClassDefinition(100, 10));
        assertEquals(Hessian2Reader.Failure.INVALID, tooMany.failure());
        assertNull(reader(new byte[] {'N'}).readClassDefinition(100, 10));
        assertNull(reader(new byte[0]).readClassDefinition(100, 10));
    }
}
