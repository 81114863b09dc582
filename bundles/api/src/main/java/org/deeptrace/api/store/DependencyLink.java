package org.deeptrace.api.store;

/**
 * One edge of the dependency graph: calls from one process to another. Nodes are processes, named by their service
 * ({@code comm}) and process id, so that services sharing a process name (Go binaries are all called {@code main})
 * stay apart; aggregate by name to see services.
 *
 * @param parent the calling service ({@code comm})
 * @param parentPid the calling process id ({@code tgid})
 * @param child the called service ({@code comm}), or the called peer's {@code ip:port} when the callee is not
 *     traced
 * @param childPid the called process id, 0 when the callee is not traced
 * @param calls client calls counted on this edge
 * @param callsPerSecond calls divided by the length of the time range asked for (or, for an open range, of the
 *     time the counted calls cover, at least one second)
 * @param errorRate fraction of the calls that answered with an error, {@code [0, 1]}
 * @param p50Ns median latency of the calls as the caller saw it
 * @param p90Ns 90th percentile latency
 * @param p99Ns 99th percentile latency
 */
public record DependencyLink(String parent, int parentPid, String child, int childPid, long calls,
        double callsPerSecond, double errorRate, long p50Ns, long p90Ns, long p99Ns) {
}
