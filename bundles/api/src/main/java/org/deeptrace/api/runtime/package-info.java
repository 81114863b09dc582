/** The running platform as seen by its faces (shell, REST, CLI): status, plugins, replay. */
@Export
@Version("1.1.0")
package org.deeptrace.api.runtime;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
