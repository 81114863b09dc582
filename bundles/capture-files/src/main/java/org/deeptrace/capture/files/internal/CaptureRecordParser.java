package org.deeptrace.capture.files.internal;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.Base64;
import org.deeptrace.api.model.CaptureRecord;
import org.deeptrace.api.model.Direction;
import org.deeptrace.api.model.Transport;

/**
 * Parses one capture-record JSON line (contract section 1) with Jackson's streaming parser. Unknown fields are
 * skipped, as the contract asks; a missing or ill-typed required field is an {@link InvalidRecordException} whose
 * message names the field.
 */
final class CaptureRecordParser {
    private final JsonFactory json = new JsonFactory();

    CaptureRecord parse(byte[] line, int length) throws InvalidRecordException {
        try (JsonParser p = json.createParser(line, 0, length)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                throw new InvalidRecordException("not a JSON object");
            }
            Fields f = new Fields();
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String name = p.currentName();
                JsonToken value = p.nextToken();
                if (value == null) {
                    throw new InvalidRecordException("the line ends inside the object (truncated?)");
                }
                f.read(name, value, p);
            }
            if (p.currentToken() != JsonToken.END_OBJECT) {
                throw new InvalidRecordException("the line ends inside the object (truncated?)");
            }
            if (p.nextToken() != null) {
                throw new InvalidRecordException("text after the JSON object");
            }
            return f.toRecord();
        } catch (JsonParseException e) {
            throw new InvalidRecordException("not valid JSON: " + e.getOriginalMessage());
        } catch (IOException e) {
            throw new InvalidRecordException("not valid JSON: " + e.getMessage());
        }
    }

    /** The fields of one record as they are read. */
    private static final class Fields {
        Long tsNs;
        long enterNs = CaptureRecord.ABSENT;
        Long tgid;
        Long tid;
        String comm;
        long fd = -1;
        String syscall;
        Direction direction;
        Transport l4;
        String local;
        String remote;
        long tcpSeq = CaptureRecord.ABSENT;
        Long size;
        byte[] payload;
        Boolean truncated;

        void read(String name, JsonToken value, JsonParser p) throws IOException, InvalidRecordException {
            switch (name) {
                case "ts_ns" -> tsNs = number(name, value, p);
                case "enter_ns" -> enterNs = optionalNumber(name, value, p);
                case "tgid" -> tgid = number(name, value, p);
                case "tid" -> tid = number(name, value, p);
                case "comm" -> comm = string(name, value, p);
                case "fd" -> fd = optionalNumber(name, value, p);
                case "syscall" -> syscall = string(name, value, p);
                case "direction" -> direction = enumValue(name, value, p, Direction::fromWireName);
                case "l4" -> l4 = enumValue(name, value, p, Transport::fromWireName);
                case "local" -> local = string(name, value, p);
                case "remote" -> remote = string(name, value, p);
                case "tcp_seq" -> tcpSeq = optionalNumber(name, value, p);
                case "size" -> size = number(name, value, p);
                case "payload_b64" -> payload = base64(name, value, p);
                case "truncated" -> truncated = bool(name, value, p);
                default -> p.skipChildren(); // unknown fields are ignored: the format may grow
            }
        }

        CaptureRecord toRecord() throws InvalidRecordException {
            require(tsNs, "ts_ns");
            require(tgid, "tgid");
            require(direction, "direction");
            require(l4, "l4");
            require(local, "local");
            require(remote, "remote");
            byte[] bytes = payload == null ? new byte[0] : payload;
            long transferred = size == null ? bytes.length : size;
            if (transferred < 0 || transferred > Integer.MAX_VALUE) {
                throw new InvalidRecordException("field 'size' is out of range: " + transferred);
            }
            if (bytes.length > transferred) {
                throw new InvalidRecordException("payload_b64 holds " + bytes.length + " bytes but size is " + transferred);
            }
            if (tcpSeq != CaptureRecord.ABSENT && (tcpSeq < 0 || tcpSeq > 0xffffffffL)) {
                throw new InvalidRecordException("field 'tcp_seq' is not a 32-bit sequence number: " + tcpSeq);
            }
            boolean cut = truncated != null ? truncated : bytes.length < transferred;
            return new CaptureRecord(tsNs, enterNs, tgid.intValue(), tid == null ? tgid.intValue() : tid.intValue(),
                    comm, (int) fd, syscall, direction, l4, local, remote, tcpSeq, (int) transferred,
                    ByteBuffer.wrap(bytes), cut);
        }

        private static void require(Object value, String name) throws InvalidRecordException {
            if (value == null) {
                throw new InvalidRecordException("required field '" + name + "' is missing");
            }
        }

        private static Long number(String name, JsonToken value, JsonParser p) throws IOException, InvalidRecordException {
            if (value != JsonToken.VALUE_NUMBER_INT) {
                throw new InvalidRecordException("field '" + name + "' must be an integer, not " + describe(value));
            }
            return p.getLongValue();
        }

        private static long optionalNumber(String name, JsonToken value, JsonParser p)
                throws IOException, InvalidRecordException {
            return value == JsonToken.VALUE_NULL ? CaptureRecord.ABSENT : number(name, value, p);
        }

        private static String string(String name, JsonToken value, JsonParser p) throws IOException, InvalidRecordException {
            if (value == JsonToken.VALUE_NULL) {
                return null;
            }
            if (value != JsonToken.VALUE_STRING) {
                throw new InvalidRecordException("field '" + name + "' must be a string, not " + describe(value));
            }
            return p.getText();
        }

        private static Boolean bool(String name, JsonToken value, JsonParser p) throws InvalidRecordException {
            return switch (value) {
                case VALUE_TRUE -> true;
                case VALUE_FALSE -> false;
                case VALUE_NULL -> null;
                default -> throw new InvalidRecordException("field '" + name + "' must be true or false, not " + describe(value));
            };
        }

        private static byte[] base64(String name, JsonToken value, JsonParser p) throws IOException, InvalidRecordException {
            String text = string(name, value, p);
            if (text == null) {
                return null;
            }
            try {
                return Base64.getDecoder().decode(text);
            } catch (IllegalArgumentException e) {
                throw new InvalidRecordException("field '" + name + "' is not valid base64: " + e.getMessage());
            }
        }

        private static <T> T enumValue(String name, JsonToken value, JsonParser p, java.util.function.Function<String, T> parse)
                throws IOException, InvalidRecordException {
            String text = string(name, value, p);
            if (text == null) {
                return null;
            }
            try {
                return parse.apply(text);
            } catch (IllegalArgumentException e) {
                throw new InvalidRecordException(e.getMessage());
            }
        }

        private static String describe(JsonToken t) {
            return switch (t) {
                case VALUE_STRING -> "a string";
                case VALUE_NUMBER_FLOAT -> "a fraction";
                case VALUE_NUMBER_INT -> "an integer";
                case VALUE_TRUE, VALUE_FALSE -> "a boolean";
                case VALUE_NULL -> "null";
                case START_ARRAY -> "an array";
                case START_OBJECT -> "an object";
                default -> t.toString();
            };
        }
    }
}
