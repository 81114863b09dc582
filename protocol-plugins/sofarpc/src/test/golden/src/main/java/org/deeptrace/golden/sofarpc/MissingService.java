package org.deeptrace.golden.sofarpc;

/** Not exported by the provider: calling it gives an error response. */
public interface MissingService {
    String anything(String x);
}
