package org.deeptrace.api.correlation;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.HashSet;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

class SparseMinCostAssignmentTest {
    private static final double FORBIDDEN = 1e9;
    private static final int U = SparseMinCostAssignment.UNMATCHED;

    @Test
    void beatsTheGreedyChoice() {
        // Greedy gives row 0 column 0 and leaves row 1 unmatched (cost 100); the optimum costs 3.
        int[] chosen = SparseMinCostAssignment.solve(2, new int[][] {{0, 1}, {0}},
                new double[][] {{1, 2}, {1}}, new double[] {100, 100});
        assertArrayEquals(new int[] {1, 0}, chosen);
    }

    @Test
    void leavesARowUnmatchedWhenThatIsCheaper() {
        int[] chosen = SparseMinCostAssignment.solve(1, new int[][] {{0}, {0}},
                new double[][] {{5}, {1}}, new double[] {3, 3});
        assertArrayEquals(new int[] {U, 0}, chosen);
    }

    @Test
    void aRowWithoutCandidatesIsUnmatched() {
        int[] chosen = SparseMinCostAssignment.solve(3, new int[][] {{}, {2}}, new double[][] {{}, {-4}},
                new double[] {0, 0});
        assertArrayEquals(new int[] {U, 2}, chosen);
    }

    @Test
    void handlesNegativeCosts() {
        int[] chosen = SparseMinCostAssignment.solve(2, new int[][] {{0, 1}, {0, 1}},
                new double[][] {{-10, -9}, {-10, -1}}, new double[] {0, 0});
        assertArrayEquals(new int[] {1, 0}, chosen);
    }

    @Test
    void reachesTheDenseOptimumOnRandomSparseInstances() {
        Random random = new Random(42);
        for (int round = 0; round < 400; round++) {
            int rows = 1 + random.nextInt(40);
            int columns = 1 + random.nextInt(40);
            int[][] adj = new int[rows][];
            double[][] cost = new double[rows][];
            double[] unmatched = new double[rows];
            for (int r = 0; r < rows; r++) {
                Set<Integer> cols = new HashSet<>();
                int degree = random.nextInt(Math.min(columns, 6) + 1);
                while (cols.size() < degree) {
                    cols.add(random.nextInt(columns));
                }
                adj[r] = cols.stream().mapToInt(Integer::intValue).toArray();
                cost[r] = new double[adj[r].length];
                for (int k = 0; k < adj[r].length; k++) {
                    // integers make ties common, which a wrong potential update turns into a worse total
                    cost[r][k] = random.nextInt(41) - 20;
                }
                unmatched[r] = random.nextInt(21) - 5;
            }
            int[] sparse = SparseMinCostAssignment.solve(columns, adj, cost, unmatched);
            assertDistinct(sparse);
            double dense = denseOptimum(columns, adj, cost, unmatched);
            assertEquals(dense, total(sparse, adj, cost, unmatched), 1e-6, "round " + round);
        }
    }

    @Test
    void solvesALongChainOfOverlappingCandidatesQuickly() {
        // A busy server: 20,000 calls, each with the 8 parents open around it, one chain over the whole window.
        int rows = 20_000;
        int[][] adj = new int[rows][];
        double[][] cost = new double[rows][];
        double[] unmatched = new double[rows];
        Random random = new Random(7);
        for (int r = 0; r < rows; r++) {
            adj[r] = new int[8];
            cost[r] = new double[8];
            for (int k = 0; k < 8; k++) {
                adj[r][k] = Math.min(rows - 1, Math.max(0, r - 4 + k));
                cost[r][k] = Math.abs(k - 4) + random.nextDouble();
            }
            adj[r] = Arrays.stream(adj[r]).distinct().toArray();
            cost[r] = Arrays.copyOf(cost[r], adj[r].length);
            unmatched[r] = 40;
        }
        int[] chosen = SparseMinCostAssignment.solve(rows, adj, cost, unmatched);
        assertDistinct(chosen);
        long matched = Arrays.stream(chosen).filter(c -> c != U).count();
        assertEquals(rows, matched, "every call has a parent cheaper than none");
    }

    @Test
    void aProblemBuiltEdgeByEdgeGivesTheSameAssignment() {
        Random random = new Random(3);
        for (int round = 0; round < 50; round++) {
            int rows = 1 + random.nextInt(30);
            int columns = 1 + random.nextInt(30);
            SparseMinCostAssignment.Problem problem = new SparseMinCostAssignment.Problem(columns, rows, 7);
            int[][] adj = new int[rows][];
            double[][] cost = new double[rows][];
            double[] unmatched = new double[rows];
            Arrays.fill(unmatched, 7);
            for (int r = 0; r < rows; r++) {
                adj[r] = random.ints(0, columns).distinct().limit(random.nextInt(Math.min(columns, 9) + 1)).toArray();
                cost[r] = new double[adj[r].length];
                for (int k = 0; k < adj[r].length; k++) {
                    cost[r][k] = random.nextInt(21) - 5;
                    problem.add(r, adj[r][k], cost[r][k]);
                }
            }
            assertArrayEquals(SparseMinCostAssignment.solve(columns, adj, cost, unmatched), problem.solve());
        }
    }

    @Test
    void rejectsMalformedInput() {
        assertThrows(IllegalArgumentException.class, () -> SparseMinCostAssignment.solve(1, new int[][] {{1}},
                new double[][] {{0}}, new double[] {0}));
        assertThrows(IllegalArgumentException.class, () -> SparseMinCostAssignment.solve(1, new int[][] {{0}},
                new double[][] {{Double.NaN}}, new double[] {0}));
        assertThrows(IllegalArgumentException.class, () -> SparseMinCostAssignment.solve(1, new int[][] {{0}},
                new double[][] {{0, 1}}, new double[] {0}));
        assertThrows(IllegalArgumentException.class, () -> SparseMinCostAssignment.solve(1, new int[][] {{0}},
                new double[][] {{0}}, new double[] {}));
    }

    private static void assertDistinct(int[] chosen) {
        Set<Integer> seen = new HashSet<>();
        for (int c : chosen) {
            assertTrue(c == U || seen.add(c), "column " + c + " taken twice");
        }
    }

    private static double total(int[] chosen, int[][] adj, double[][] cost, double[] unmatched) {
        double sum = 0;
        for (int r = 0; r < chosen.length; r++) {
            if (chosen[r] == U) {
                sum += unmatched[r];
                continue;
            }
            int k = indexOf(adj[r], chosen[r]);
            assertNotEquals(-1, k, "row " + r + " took column " + chosen[r] + " it has no edge to");
            sum += cost[r][k];
        }
        return sum;
    }

    /** The same problem through the dense solver: one private "no match" column per row. */
    private static double denseOptimum(int columns, int[][] adj, double[][] cost, double[] unmatched) {
        int rows = adj.length;
        double[][] dense = new double[rows][columns + rows];
        for (int r = 0; r < rows; r++) {
            Arrays.fill(dense[r], FORBIDDEN);
            for (int k = 0; k < adj[r].length; k++) {
                dense[r][adj[r][k]] = cost[r][k];
            }
            dense[r][columns + r] = unmatched[r];
        }
        int[] chosen = MinCostAssignment.solve(dense);
        double sum = 0;
        for (int r = 0; r < rows; r++) {
            sum += dense[r][chosen[r]];
        }
        return sum;
    }

    private static int indexOf(int[] a, int x) {
        for (int i = 0; i < a.length; i++) {
            if (a[i] == x) {
                return i;
            }
        }
        return -1;
    }
}
