/** The span sender SPI: export batches of finished spans to a backend. */
@Export
@Version("1.1.0")
package org.deeptrace.api.sender;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
