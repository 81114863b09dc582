/**
 * Span generators for tests of span stores and query backends: {@link org.deeptrace.testkit.spans.VariedTraces}
 * makes seeded, varied synthetic traces (several services, errors, spans without an endpoint, untraced callees), so
 * each store's tests can compare its answers with another store's on the same spans.
 */
@Export
@Version("1.0.0")
package org.deeptrace.testkit.spans;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
