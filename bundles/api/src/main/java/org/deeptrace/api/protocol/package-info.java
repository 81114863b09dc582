/** The protocol parser SPI: infer a protocol, split a byte stream into messages, extract the fields. */
@Export
@Version("1.2.0")
package org.deeptrace.api.protocol;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
