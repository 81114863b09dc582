/**
 * The correlator SPI: pick the parent server span of each client span in a process. Since 1.1: reusable building
 * blocks for correlator authors, {@link org.deeptrace.api.correlation.MinCostAssignment},
 * {@link org.deeptrace.api.correlation.LogHistogram} and {@link org.deeptrace.api.correlation.ProcessModels}. Since 1.2:
 * {@link org.deeptrace.api.correlation.SparseMinCostAssignment}, the same optimum without a dense matrix.
 */
@Export
@Version("1.2.0")
package org.deeptrace.api.correlation;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
