/** Where capture records come from: live sources and offline input formats. */
@Export
@Version("1.0.0")
package org.deeptrace.api.capture;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
