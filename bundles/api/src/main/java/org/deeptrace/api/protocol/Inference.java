package org.deeptrace.api.protocol;

/**
 * A parser's verdict on the first bytes one end of a connection sent.
 *
 * @param confidence in [0, 1]: 0 means "not my protocol"; about 0.5 "plausible"; 0.9 and more "certain"
 * @param sender which end sent the inspected bytes (a request line means the client did)
 */
public record Inference(double confidence, Origin sender) {

    /** Not this parser's protocol. */
    public static final Inference NO = new Inference(0, Origin.CLIENT);

    public Inference {
        if (!(confidence >= 0 && confidence <= 1)) {
            throw new IllegalArgumentException("confidence must be within [0, 1]: " + confidence);
        }
        if (sender == null) {
            throw new NullPointerException("sender");
        }
    }

    public static Inference of(double confidence, Origin sender) {
        return new Inference(confidence, sender);
    }

    public boolean matches() {
        return confidence > 0;
    }
}
