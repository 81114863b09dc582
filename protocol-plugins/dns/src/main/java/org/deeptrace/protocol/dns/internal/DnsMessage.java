package org.deeptrace.protocol.dns.internal;

/**
 * What the parser reads from one DNS message: the header and the first question. Answers, authority and
 * additional records are counted from the header, not parsed.
 *
 * @param id the message id, or -1 when its bytes were lost
 * @param response the QR bit, or null when the flags were lost
 * @param opcode the opcode, or -1 when lost
 * @param rcode the response code (4 bits of the header), or -1 when lost
 * @param questions QDCOUNT
 * @param answers ANCOUNT
 * @param name the first question's name, or null when there is none or it could not be read
 * @param qtype the first question's type, or -1
 */
record DnsMessage(int id, Boolean response, int opcode, int rcode, int questions, int answers, int authorities,
        int additionals, String name, int qtype, int qclass, boolean lossy) {

    static final int HEADER = 12;

    /** Why a message could not be read; {@link #parse} returns one of these or a message. */
    record Failure(String reason) {
    }

    /**
     * Parses the header and first question of the message in {@code m}.
     *
     * @return a {@link DnsMessage}, or a {@link Failure} with a short reason
     */
    static Object parse(DnsBytes m) {
        if (m.length() < HEADER) {
            return new Failure("short header");
        }
        int id = m.anyUnknown(0, 2) ? -1 : m.u16(0);
        Boolean response = null;
        int opcode = -1;
        int rcode = -1;
        if (!m.unknown(2)) {
            int b2 = m.u8(2);
            response = (b2 & 0x80) != 0;
            opcode = (b2 >>> 3) & 0x0F;
        }
        if (!m.unknown(3)) {
            rcode = m.u8(3) & 0x0F;
        }
        if (m.anyUnknown(4, 8)) {
            return new Failure("counts lost");
        }
        int qd = m.u16(4);
        int an = m.u16(6);
        int ns = m.u16(8);
        int ar = m.u16(10);
        if (opcode > 6 || (opcode == 3)) {
            return new Failure("bad opcode");
        }
        if (qd > 4) {
            return new Failure("bad question count");
        }
        String name = null;
        int qtype = -1;
        int qclass = -1;
        if (qd > 0) {
            DnsNames.Name n = DnsNames.read(m, HEADER);
            if (n == null) {
                return new Failure("bad name");
            }
            if (n.next() + 4 > m.length()) {
                return new Failure("short question");
            }
            name = n.text();
            qtype = m.anyUnknown(n.next(), 2) ? -1 : m.u16(n.next());
            qclass = m.anyUnknown(n.next() + 2, 2) ? -1 : m.u16(n.next() + 2) & 0x7FFF; // mDNS sets the top bit
            if (qclass != -1 && qclass != 1 && qclass != 3 && qclass != 4 && qclass != 254 && qclass != 255) {
                return new Failure("bad question class");
            }
        } else if (an == 0 && ns == 0 && ar == 0) {
            return new Failure("empty message");
        }
        return new DnsMessage(id, response, opcode, rcode, qd, an, ns, ar, name, qtype, qclass, m.lossy());
    }

    /** Replacement characters whose width (1 to 3 lost bytes) is searched for: 3^4 parses at most. */
    private static final int SEARCHED_REPLACEMENTS = 4;

    /**
     * Parses the message, first as it is, then, when that fails and the bytes contain U+FFFD replacement
     * characters, as a lossily converted text (see {@link LossyText}): the first replacements are tried as one,
     * two and three lost bytes, fewest lost bytes first, until the header and the question parse.
     */
    static Object parse(byte[] bytes, int from, int length) {
        Object result = parse(DnsBytes.of(bytes, from, length));
        if (result instanceof DnsMessage || !LossyText.hasReplacement(bytes, from, from + length)) {
            return result;
        }
        int searched = Math.min(SEARCHED_REPLACEMENTS, LossyText.countReplacements(bytes, from, from + length));
        int combinations = 1;
        for (int i = 0; i < searched; i++) {
            combinations *= 3;
        }
        DnsMessage best = null;
        int bestExtra = Integer.MAX_VALUE;
        int[] widths = new int[searched];
        for (int c = 0; c < combinations; c++) {
            int extra = 0;
            for (int i = 0, v = c; i < searched; i++, v /= 3) {
                widths[i] = 1 + v % 3;
                extra += v % 3;
            }
            if (extra >= bestExtra) {
                continue;
            }
            Object lossy = parse(LossyText.recover(bytes, from, from + length, widths));
            if (lossy instanceof DnsMessage m && m.name() != null) { // a misaligned header rarely yields a name
                best = m;
                bestExtra = extra;
            }
        }
        return best != null ? best : result;
    }
}
