package org.deeptrace.capture.pcap.internal;

import java.io.BufferedInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.zip.GZIPInputStream;
import org.deeptrace.api.capture.CaptureInput;
import org.deeptrace.api.capture.CaptureSink;
import org.deeptrace.api.capture.MalformedInputException;
import org.deeptrace.api.model.CaptureRecord;
import org.deeptrace.api.model.Direction;
import org.deeptrace.api.model.Transport;
import org.osgi.service.component.annotations.Component;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Packet captures (pcap and pcapng, plain or gzip) as capture records: one record per TCP segment or UDP
 * datagram that carries payload, presented from the server's side of its flow (see {@link FlowSides}) so the
 * pipeline reassembles, parses and pairs them as it does records of a traced server process.
 *
 * <p>Each record has {@code local} = the server's address, {@code remote} = the client's, {@code direction}
 * {@code ingress} for what the client sent and {@code egress} for what the server sent, {@code tgid} 0,
 * {@code comm} "pcap", {@code fd} -1, no syscall name, {@code tcp_seq} from the TCP header, {@code size} = the
 * payload length on the wire and {@code truncated} when the snap length cut it.
 */
@Component(service = CaptureInput.class)
public final class PcapInput implements CaptureInput {
    static final String COMM = "pcap";
    private static final Logger LOG = LoggerFactory.getLogger(PcapInput.class);

    @Override
    public String format() {
        return "pcap";
    }

    @Override
    public boolean accepts(Path file, byte[] head) {
        return head.length >= 4 && (ClassicPcapReader.isPcap(head) || PcapNgReader.isPcapNg(head));
    }

    @Override
    public ReadStats read(Path file, ReadOptions options, CaptureSink sink)
            throws IOException, MalformedInputException {
        PacketDecoder decoder = new PacketDecoder();
        FlowSides sides = new FlowSides();
        StreamStarts starts = new StreamStarts();
        Map<String, Long> ignored = new TreeMap<>();
        long records = 0;
        long skipped = 0;
        String firstSkip = null;
        FrameReader frames = null;
        try (InputStream in = open(file)) {
            ByteSource source = new ByteSource(in);
            frames = FrameReader.open(source);
            Frame frame;
            while ((frame = frames.next()) != null) {
                Packet p = decoder.decode(frame);
                if (p == null) {
                    ignored.merge(decoder.skipReason(), 1L, Long::sum);
                    continue;
                }
                String server = sides.serverOf(p); // every segment counts: the SYN decides, and carries no data
                List<CaptureRecord> ready = List.of();
                if (p.l4() == Transport.TCP && p.syn()) {
                    ready = starts.syn(p);
                }
                if (p.payloadLength() > 0) { // handshakes, pure ACKs, FIN/RST without data carry nothing
                    CaptureRecord r = toRecord(frame, p, server);
                    ready = concat(ready, p.l4() == Transport.TCP ? starts.offer(p, r) : List.of(r));
                }
                for (CaptureRecord r : ready) {
                    sink.accept(r);
                    records++;
                }
            }
            for (CaptureRecord r : starts.drain()) {
                sink.accept(r);
                records++;
            }
        } catch (PcapFormatException e) {
            String where = "frame " + (frames == null ? 0 : frames.frameNumber() + 1) + " at byte " + e.position();
            if (!options.lenient()) {
                throw new MalformedInputException(file, frames == null ? 0 : frames.frameNumber() + 1,
                        where + ": " + e.getMessage());
            }
            skipped++;
            firstSkip = file + ": " + where + ": " + e.getMessage() + " (the rest of the file was not read)";
        } catch (EOFException | java.util.zip.ZipException e) {
            // A capture cut short (tcpdump killed, gzip truncated): what was read stays read.
            String where = "after frame " + (frames == null ? 0 : frames.frameNumber());
            if (!options.lenient()) {
                throw new MalformedInputException(file, frames == null ? 0 : frames.frameNumber() + 1,
                        where + ": file cut short: " + e.getMessage());
            }
            skipped++;
            firstSkip = file + ": " + where + ": file cut short";
        }
        if (!ignored.isEmpty()) {
            LOG.debug("{}: frames without TCP/UDP payload to offer, by reason: {}", file, ignored);
        }
        return new ReadStats(records, skipped, firstSkip);
    }

    private static List<CaptureRecord> concat(List<CaptureRecord> a, List<CaptureRecord> b) {
        if (a.isEmpty()) {
            return b;
        }
        List<CaptureRecord> all = new ArrayList<>(a);
        all.addAll(b);
        return all;
    }

    static CaptureRecord toRecord(Frame frame, Packet p, String server) {
        boolean fromServer = p.src().equals(server);
        String client = fromServer ? p.dst() : p.src();
        byte[] payload = new byte[p.capturedPayload()];
        System.arraycopy(frame.data(), p.payloadFrom(), payload, 0, payload.length);
        long seq = CaptureRecord.ABSENT;
        if (p.l4() == Transport.TCP) {
            seq = p.syn() ? (p.seq() + 1) & 0xffffffffL : p.seq(); // data on a SYN starts after the SYN's number
        }
        return new CaptureRecord(frame.tsNs(), CaptureRecord.ABSENT, 0, 0, COMM, -1, null,
                fromServer ? Direction.EGRESS : Direction.INGRESS, p.l4(), server, client, seq, p.payloadLength(),
                ByteBuffer.wrap(payload), payload.length < p.payloadLength());
    }

    private static InputStream open(Path file) throws IOException {
        InputStream in = new BufferedInputStream(Files.newInputStream(file), 1 << 16);
        in.mark(2);
        int b1 = in.read();
        int b2 = in.read();
        in.reset();
        return b1 == 0x1f && b2 == 0x8b ? new BufferedInputStream(new GZIPInputStream(in, 1 << 16), 1 << 16) : in;
    }
}
