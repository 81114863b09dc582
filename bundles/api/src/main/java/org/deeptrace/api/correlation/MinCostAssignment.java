package org.deeptrace.api.correlation;

import java.util.Arrays;

/**
 * Minimum-cost assignment (the Hungarian algorithm with potentials): give every row of a cost matrix a distinct
 * column so that the sum of the chosen cells is smallest. Correlators use it to match client spans (rows) to parent
 * slots (columns) in one optimal step rather than greedily.
 *
 * <p>The matrix may be rectangular with at least as many columns as rows; every row is assigned. To let a row stay
 * unmatched, add one extra "no match" column per row at the cost of leaving it unmatched. To forbid a cell, give it
 * a large <em>finite</em> cost (say {@code 1e9}) and treat a chosen forbidden cell as no match: costs must be finite,
 * since infinities and NaN break the potentials. Time is O(rows² · columns), so solve independent groups
 * (connected components) apart to keep matrices small.
 *
 * <p>Stateless and thread-safe; the cost matrix is only read.
 */
public final class MinCostAssignment {
    private MinCostAssignment() {
    }

    /**
     * Solves the assignment problem for {@code cost}.
     *
     * @param cost {@code cost[row][column]}, finite values, every row as long as the first; not modified
     * @return for each row, the column it takes: distinct columns, an array of length {@code cost.length}
     * @throws IllegalArgumentException when there are more rows than columns or the rows differ in length
     */
    public static int[] solve(double[][] cost) {
        int n = cost.length;
        if (n == 0) {
            return new int[0];
        }
        int m = cost[0].length;
        if (m < n) {
            throw new IllegalArgumentException("more rows than columns: " + n + " > " + m);
        }
        for (int r = 1; r < n; r++) {
            if (cost[r].length != m) {
                throw new IllegalArgumentException("row " + r + " has " + cost[r].length + " columns, row 0 has " + m);
            }
        }
        double[] u = new double[n + 1];
        double[] v = new double[m + 1];
        int[] p = new int[m + 1];
        int[] way = new int[m + 1];
        double[] minv = new double[m + 1];
        boolean[] used = new boolean[m + 1];
        for (int i = 1; i <= n; i++) {
            p[0] = i;
            int j0 = 0;
            Arrays.fill(minv, Double.POSITIVE_INFINITY);
            Arrays.fill(used, false);
            do {
                used[j0] = true;
                int i0 = p[j0];
                double delta = Double.POSITIVE_INFINITY;
                int j1 = 0;
                for (int j = 1; j <= m; j++) {
                    if (!used[j]) {
                        double cur = cost[i0 - 1][j - 1] - u[i0] - v[j];
                        if (cur < minv[j]) {
                            minv[j] = cur;
                            way[j] = j0;
                        }
                        if (minv[j] < delta) {
                            delta = minv[j];
                            j1 = j;
                        }
                    }
                }
                for (int j = 0; j <= m; j++) {
                    if (used[j]) {
                        u[p[j]] += delta;
                        v[j] -= delta;
                    } else {
                        minv[j] -= delta;
                    }
                }
                j0 = j1;
            } while (p[j0] != 0);
            do {
                int j1 = way[j0];
                p[j0] = p[j1];
                j0 = j1;
            } while (j0 != 0);
        }
        int[] rowToCol = new int[n];
        for (int j = 1; j <= m; j++) {
            if (p[j] != 0) {
                rowToCol[p[j] - 1] = j - 1;
            }
        }
        return rowToCol;
    }
}
