/** JSON Lines encoding of the contract records, exactly as contracts/records.md names the fields. */
@Export
@Version("1.0.0")
package org.deeptrace.api.codec;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
