/** The correlator SPI: pick the parent server span of each client span in a process. */
@Export
@Version("1.0.0")
package org.deeptrace.api.correlation;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
