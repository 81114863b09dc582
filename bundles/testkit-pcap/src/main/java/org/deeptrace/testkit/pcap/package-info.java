/** Golden tests from recorded pcaps for protocol plugins. */
@Export
@Version("1.0.0")
package org.deeptrace.testkit.pcap;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
