/** Golden tests from recorded pcaps for protocol plugins, and their TCP connections as chunks for throughput tests. */
@Export
@Version("1.2.0")
package org.deeptrace.testkit.pcap;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
