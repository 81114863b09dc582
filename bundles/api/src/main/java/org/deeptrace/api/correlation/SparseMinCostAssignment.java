package org.deeptrace.api.correlation;

import java.util.Arrays;

/**
 * Minimum-cost assignment over a sparse cost graph, each row free to stay unmatched at a cost of its own: rows
 * (client spans) take distinct columns (parent slots) so that the sum of the chosen costs, plus the unmatched
 * costs of the rows left out, is smallest. It gives the same optimum as {@link MinCostAssignment} with one extra
 * "no match" column per row, without building the dense matrix.
 *
 * <p>Why: in a busy process one component of a window can hold thousands of calls, each with only a few candidate
 * parents. The dense matrix then takes gigabytes and O(rows² · columns) time; here memory is linear in the edges,
 * and each row's augmenting search (Dijkstra with potentials, the successive-shortest-path method) stops at the
 * first free column it reaches, which is never farther than the row's own unmatched cost. In practice the work per
 * row stays local to the rows that compete for the same parents.
 *
 * <p>Costs may be negative; they must be finite. Stateless and thread-safe; the inputs are only read.
 *
 * @since 1.2
 */
public final class SparseMinCostAssignment {
    /** Marks a row left unmatched in the result. */
    public static final int UNMATCHED = -1;

    private SparseMinCostAssignment() {
    }

    /**
     * Solves the assignment problem.
     *
     * @param columns the number of columns; column ids are {@code 0..columns-1}
     * @param rowColumns per row, the columns it may take (distinct, in range)
     * @param rowCosts per row, the cost of each of its columns, parallel to {@code rowColumns}
     * @param unmatchedCost per row, the cost of leaving it without a column
     * @return for each row, its column or {@link #UNMATCHED}; matched columns are distinct
     * @throws IllegalArgumentException when the arrays disagree in length, a column is out of range or a cost is
     *         not finite
     */
    public static int[] solve(int columns, int[][] rowColumns, double[][] rowCosts, double[] unmatchedCost) {
        if (rowCosts.length != rowColumns.length || unmatchedCost.length != rowColumns.length) {
            throw new IllegalArgumentException("rowColumns, rowCosts and unmatchedCost differ in length");
        }
        int[] degree = new int[rowColumns.length];
        for (int r = 0; r < degree.length; r++) {
            if (rowColumns[r].length != rowCosts[r].length) {
                throw new IllegalArgumentException("row " + r + ": " + rowColumns[r].length + " columns but "
                        + rowCosts[r].length + " costs");
            }
            degree[r] = rowColumns[r].length;
        }
        return solve(columns, rowColumns, rowCosts, degree, unmatchedCost);
    }

    private static int[] solve(int columns, int[][] adj, double[][] cost, int[] degree, double[] unmatched) {
        for (int r = 0; r < degree.length; r++) {
            check(columns, adj[r], cost[r], degree[r], unmatched[r], r);
        }
        if (degree.length == 1) {
            return new int[] {cheapest(adj[0], cost[0], degree[0], unmatched[0])};
        }
        return new Solver(columns, adj, cost, degree, unmatched).solve();
    }

    /** A lone row needs no search: its cheapest column (the lowest of equals), or none when that costs less. */
    private static int cheapest(int[] adj, double[] cost, int degree, double unmatched) {
        int best = UNMATCHED;
        double bestCost = unmatched;
        for (int k = 0; k < degree; k++) {
            if (cost[k] < bestCost || (cost[k] == bestCost && (best == UNMATCHED || adj[k] < best))) {
                best = adj[k];
                bestCost = cost[k];
            }
        }
        return best;
    }

    private static void check(int columns, int[] adj, double[] cost, int degree, double unmatched, int r) {
        if (!Double.isFinite(unmatched)) {
            throw new IllegalArgumentException("row " + r + ": unmatched cost " + unmatched);
        }
        for (int k = 0; k < degree; k++) {
            if (adj[k] < 0 || adj[k] >= columns) {
                throw new IllegalArgumentException("row " + r + ": column " + adj[k] + " out of 0.." + (columns - 1));
            }
            if (!Double.isFinite(cost[k])) {
                throw new IllegalArgumentException("row " + r + ": cost " + cost[k]);
            }
        }
    }

    /**
     * A problem built edge by edge, for callers that find each row's candidates one at a time: rows are
     * {@code 0..rows-1}, every row may stay unmatched at {@code unmatchedCost}.
     */
    public static final class Problem {
        private final int columns;
        private final double unmatchedCost;
        private final int[][] rowColumns;
        private final double[][] rowCosts;
        private final int[] degree;

        public Problem(int columns, int rows, double unmatchedCost) {
            this.columns = columns;
            this.unmatchedCost = unmatchedCost;
            this.rowColumns = new int[rows][4];
            this.rowCosts = new double[rows][4];
            this.degree = new int[rows];
        }

        /** Lets {@code row} take {@code column} at {@code cost}; each (row, column) at most once. */
        public Problem add(int row, int column, double cost) {
            int n = degree[row];
            if (n == rowColumns[row].length) {
                rowColumns[row] = Arrays.copyOf(rowColumns[row], n * 2);
                rowCosts[row] = Arrays.copyOf(rowCosts[row], n * 2);
            }
            rowColumns[row][n] = column;
            rowCosts[row][n] = cost;
            degree[row] = n + 1;
            return this;
        }

        /** As {@link SparseMinCostAssignment#solve}: each row's column, or {@link #UNMATCHED}. */
        public int[] solve() {
            double[] unmatched = new double[degree.length];
            Arrays.fill(unmatched, unmatchedCost);
            return SparseMinCostAssignment.solve(columns, rowColumns, rowCosts, degree, unmatched);
        }
    }

    /** One solve. Column {@code columns + r} is row r's private "unmatched" column. */
    private static final class Solver {
        private final int rows;
        private final int realColumns;
        private final int[][] adj;
        private final double[][] cost;
        /** Per row, how many of its adj/cost entries are edges (the arrays may be longer). */
        private final int[] degree;
        private final double[] unmatched;
        private final double[] u;
        private final double[] v;
        /** Per column, the row holding it, or -1. */
        private final int[] holder;
        /** Per row, the column it holds, or -1. */
        private final int[] held;
        private final double[] dist;
        private final int[] reachedFrom;
        private final boolean[] done;
        private final int[] touched;
        private int touchedCount;
        private final int[] finalized;
        private int finalizedCount;
        private final Heap heap;

        Solver(int columns, int[][] rowColumns, double[][] rowCosts, int[] degree, double[] unmatchedCost) {
            rows = rowColumns.length;
            realColumns = columns;
            adj = rowColumns;
            cost = rowCosts;
            this.degree = degree;
            unmatched = unmatchedCost;
            int all = columns + rows;
            u = new double[rows];
            v = new double[all];
            holder = new int[all];
            held = new int[rows];
            dist = new double[all];
            reachedFrom = new int[all];
            done = new boolean[all];
            touched = new int[all];
            finalized = new int[all];
            heap = new Heap(16);
            Arrays.fill(holder, -1);
            Arrays.fill(held, -1);
            Arrays.fill(dist, Double.POSITIVE_INFINITY);
            for (int r = 0; r < rows; r++) {
                // Feasible start for negative costs: every reduced cost cost - u[r] - v[c] is >= 0.
                double min = unmatched[r];
                for (int k = 0; k < degree[r]; k++) {
                    min = Math.min(min, cost[r][k]);
                }
                u[r] = min;
            }
        }

        int[] solve() {
            for (int r = 0; r < rows; r++) {
                augment(r);
            }
            int[] out = new int[rows];
            for (int r = 0; r < rows; r++) {
                out[r] = held[r] < realColumns ? held[r] : UNMATCHED;
            }
            return out;
        }

        /** Dijkstra from the free row {@code start} to the nearest free column, then flips the path. */
        private void augment(int start) {
            touchedCount = 0;
            finalizedCount = 0;
            heap.clear();
            relaxFrom(start, 0);
            int sink = -1;
            double sinkDist = 0;
            while (!heap.isEmpty()) {
                int c = heap.popMin();
                if (done[c]) {
                    continue;
                }
                done[c] = true;
                finalized[finalizedCount++] = c;
                if (holder[c] < 0) {
                    sink = c;
                    sinkDist = dist[c];
                    break;
                }
                relaxFrom(holder[c], dist[c]);
            }
            // The start row's own unmatched column is always free, so a sink is always found.
            updatePotentials(start, sink, sinkDist);
            for (int c = sink; ; ) {
                int r = reachedFrom[c];
                int previous = held[r];
                holder[c] = r;
                held[r] = c;
                if (r == start) {
                    break;
                }
                c = previous;
            }
            for (int i = 0; i < touchedCount; i++) {
                int c = touched[i];
                dist[c] = Double.POSITIVE_INFINITY;
                done[c] = false;
            }
        }

        private void relaxFrom(int r, double base) {
            double ur = u[r];
            int[] cols = adj[r];
            double[] costs = cost[r];
            for (int k = 0, n = degree[r]; k < n; k++) {
                relax(r, cols[k], base + costs[k] - ur - v[cols[k]]);
            }
            int own = realColumns + r;
            relax(r, own, base + unmatched[r] - ur - v[own]);
        }

        private void relax(int r, int c, double d) {
            if (done[c] || d >= dist[c]) {
                return;
            }
            if (dist[c] == Double.POSITIVE_INFINITY) {
                touched[touchedCount++] = c;
            }
            dist[c] = d;
            reachedFrom[c] = r;
            heap.push(c, d);
        }

        /**
         * Keeps every reduced cost non-negative and the path's reduced costs zero: nodes settled closer than the
         * sink move by their distance to it (columns down, the rows that hold them up).
         */
        private void updatePotentials(int start, int sink, double sinkDist) {
            u[start] += sinkDist;
            for (int i = 0; i < finalizedCount; i++) {
                int c = finalized[i];
                if (c == sink) {
                    continue;
                }
                double shift = sinkDist - dist[c];
                v[c] -= shift;
                u[holder[c]] += shift;
            }
        }
    }

    /**
     * A binary min-heap of (column, distance) with lazy deletion: stale entries are skipped when popped. Equal
     * distances pop the lower column first, as the dense solver's scan does, so ties resolve the same way.
     */
    private static final class Heap {
        private int[] items;
        private double[] keys;
        private int size;

        Heap(int capacity) {
            items = new int[capacity];
            keys = new double[capacity];
        }

        void clear() {
            size = 0;
        }

        boolean isEmpty() {
            return size == 0;
        }

        void push(int item, double key) {
            if (size == items.length) {
                items = Arrays.copyOf(items, size * 2);
                keys = Arrays.copyOf(keys, size * 2);
            }
            int i = size++;
            while (i > 0) {
                int parent = (i - 1) >>> 1;
                if (!less(key, item, keys[parent], items[parent])) {
                    break;
                }
                items[i] = items[parent];
                keys[i] = keys[parent];
                i = parent;
            }
            items[i] = item;
            keys[i] = key;
        }

        private static boolean less(double key, int item, double otherKey, int otherItem) {
            return key < otherKey || (key == otherKey && item < otherItem);
        }

        int popMin() {
            int top = items[0];
            int lastItem = items[--size];
            double lastKey = keys[size];
            int i = 0;
            while (true) {
                int child = 2 * i + 1;
                if (child >= size) {
                    break;
                }
                if (child + 1 < size && less(keys[child + 1], items[child + 1], keys[child], items[child])) {
                    child++;
                }
                if (!less(keys[child], items[child], lastKey, lastItem)) {
                    break;
                }
                items[i] = items[child];
                keys[i] = keys[child];
                i = child;
            }
            if (size > 0) {
                items[i] = lastItem;
                keys[i] = lastKey;
            }
            return top;
        }
    }
}
