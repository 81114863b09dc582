/**
 * JUnit helpers for protocol plugin authors: {@link org.deeptrace.testkit.ParserHarness} drives a
 * {@link org.deeptrace.api.protocol.ConnectionParser} with chunks, gaps and a close, the way the pipeline does,
 * and records what it reports; {@link org.deeptrace.testkit.CaptureRecords} reads capture-record JSON Lines
 * (contract section 1) so real captures can be replayed through it.
 */
@Export
@Version("1.0.0")
package org.deeptrace.testkit;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
