/** Span storage and query. */
@Export
@Version("1.0.0")
package org.deeptrace.api.store;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
