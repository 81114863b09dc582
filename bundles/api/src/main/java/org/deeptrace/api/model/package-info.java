/** Immutable values of the three records of the contract: capture record, L7 message, span. */
@Export
@Version("1.0.0")
package org.deeptrace.api.model;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
