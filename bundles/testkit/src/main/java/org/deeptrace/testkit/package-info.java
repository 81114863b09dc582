/**
 * JUnit helpers for protocol plugin authors: {@link org.deeptrace.testkit.ParserHarness} drives a
 * {@link org.deeptrace.api.protocol.ConnectionParser} with chunks, gaps and a close, the way the pipeline does,
 * and records what it reports; {@link org.deeptrace.testkit.CaptureRecords} reads capture-record JSON Lines
 * (contract section 1) so real captures can be replayed through it; {@link org.deeptrace.testkit.ParserThroughput}
 * measures a parser's throughput over recorded connections.
 */
@Export
@Version("1.1.0")
package org.deeptrace.testkit;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
