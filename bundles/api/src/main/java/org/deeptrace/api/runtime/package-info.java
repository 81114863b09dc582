/**
 * The running platform as seen by its faces (shell, REST, CLI): status, plugins, replay. Since 1.2:
 * {@link org.deeptrace.api.runtime.PipelineStatus#withCounters}.
 */
@Export
@Version("1.2.0")
package org.deeptrace.api.runtime;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
