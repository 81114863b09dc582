package org.deeptrace.protocol.someip.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.deeptrace.api.model.L7Message;
import org.deeptrace.api.model.MessageType;
import org.deeptrace.api.model.ParsedMessage;
import org.deeptrace.testkit.pcap.GoldenPcap;
import org.junit.jupiter.api.Test;

/**
 * An independent reading of the synthetic fixture: Wireshark's SOME/IP and SOME/IP-SD dissectors (tshark, Debian
 * package {@code tshark}; .ci/run installs it) decode the same pcap, SOME/IP-TP reassembly included, and every
 * message they find must be one of ours with the same sender, ids, message kind, return code, interface version,
 * first SD entry type and size (for SOME/IP-TP: 16 + the length Wireshark reassembled). This checks the fixture's
 * encoding (ours, not a real stack's) and the plugin's reading of it against a decoder we did not write. Skipped,
 * saying why, where tshark is not installed.
 */
class SomeIpWiresharkCrossCheckTest {
    private static final Path TSHARK = Path.of("/usr/bin/tshark");
    private static final String PCAP = "/someip/someip-synthetic.pcap";
    private static final Map<String, Integer> SD_ENTRY_TYPES = Map.of("FindService", 0, "OfferService", 1,
            "StopOfferService", 1, "SubscribeEventgroup", 6, "StopSubscribeEventgroup", 6,
            "SubscribeEventgroupAck", 7, "SubscribeEventgroupNack", 7);

    @Test
    void wiresharkReadsTheFixtureAsThePluginDoes() throws Exception {
        assumeTrue(Files.isExecutable(TSHARK), "tshark not installed: apt-get install -y tshark (.ci/run does)");
        Path pcap = Path.of(getClass().getResource(PCAP).toURI());
        List<String> wireshark = tshark(pcap);
        List<String> ours = new ArrayList<>();
        for (L7Message m : GoldenPcap.replay(new SomeIpProtocol(), pcap).messages) {
            ours.add(canonical(m));
        }
        wireshark.sort(null);
        ours.sort(null);
        assertEquals(29, wireshark.size(), "Wireshark's messages: " + wireshark);
        assertEquals(String.join("\n", wireshark), String.join("\n", ours));
        assertTrue(wireshark.stream().anyMatch(s -> s.contains("|4016|")), "SOME/IP-TP over UDP reassembled");
    }

    /** One line per message of ours: what Wireshark's fields can tell too. */
    private static String canonical(L7Message m) {
        ParsedMessage p = m.parsed();
        long requestId = ((Number) p.requestId()).longValue();
        String what = p.type() == MessageType.RESPONSE ? "response rc=" + p.responseCode() : p.type().name()
                .toLowerCase(java.util.Locale.ROOT) + " " + p.endpoint();
        if ("0xFFFF.0x8100".equals(p.endpoint())) {
            what += " sd=" + SD_ENTRY_TYPES.getOrDefault(p.requestType(), -1);
        }
        return m.src() + "|" + what + "|" + requestId + "|" + p.size() + "|v" + p.version();
    }

    /** Wireshark's messages as {@link #canonical} lines: one per SOME/IP message, one per reassembled TP message. */
    private static List<String> tshark(Path pcap) throws IOException, InterruptedException {
        Path out = Files.createTempFile("someip-tshark", ".txt");
        try {
            Process p = new ProcessBuilder(TSHARK.toString(), "-r", pcap.toString(),
                    "-d", "tcp.port==30501,someip", "-d", "udp.port==30502,someip", "-d", "udp.port==30490,someip",
                    "-Y", "someip", "-T", "fields", "-E", "separator=|", "-E", "occurrence=a", "-E", "aggregator=,",
                    "-e", "ip.src", "-e", "tcp.srcport", "-e", "udp.srcport", "-e", "someip.messageid",
                    "-e", "someip.length", "-e", "someip.clientid", "-e", "someip.sessionid",
                    "-e", "someip.interfaceversion", "-e", "someip.messagetype", "-e", "someip.returncode",
                    "-e", "someip.tp.reassembled.length", "-e", "someipsd.entry.type")
                    .redirectOutput(out.toFile()).redirectError(ProcessBuilder.Redirect.DISCARD).start();
            assertTrue(p.waitFor(60, TimeUnit.SECONDS), "tshark did not finish");
            assertEquals(0, p.exitValue(), "tshark exit status");
            List<String> messages = new ArrayList<>();
            for (String line : Files.readAllLines(out, StandardCharsets.UTF_8)) {
                if (!line.isBlank()) {
                    frame(line.split("\\|", -1), messages);
                }
            }
            return messages;
        } finally {
            Files.deleteIfExists(out);
        }
    }

    /** The SOME/IP messages of one frame (its fields hold one value per message, comma-separated). */
    private static void frame(String[] f, List<String> messages) {
        String src = f[0] + ":" + (f[1].isEmpty() ? f[2] : f[1]);
        String[] ids = f[3].split(",");
        for (int i = 0; i < ids.length; i++) {
            long messageId = Long.decode(ids[i]);
            if (messageId == 0xFFFF_0000L || messageId == 0xFFFF_8000L) {
                continue; // magic cookies: not messages
            }
            int type = Integer.decode(f[8].split(",")[i]);
            long size = 8 + Long.parseLong(f[4].split(",")[i]);
            if ((type & 0x20) != 0) {
                if (f[10].isEmpty()) {
                    continue; // a segment; the message is the reassembled one, where Wireshark completes it
                }
                size = 16 + Long.parseLong(f[10]);
                type &= ~0x20;
            }
            long requestId = Long.decode(f[5].split(",")[i]) << 16 | Long.decode(f[6].split(",")[i]);
            String endpoint = String.format("0x%04X.0x%04X", messageId >>> 16, messageId & 0xFFFF);
            String what = switch (type) {
                case 0x80, 0x81 -> "response rc=" + Integer.decode(f[9].split(",")[i]);
                case 0x02 -> "session " + endpoint;
                default -> "request " + endpoint;
            };
            if (endpoint.equals("0xFFFF.0x8100")) {
                what += " sd=" + Integer.decode(f[11].split(",")[0]);
            }
            messages.add(src + "|" + what + "|" + requestId + "|" + size + "|v" + Integer.decode(f[7].split(",")[i]));
        }
    }
}
