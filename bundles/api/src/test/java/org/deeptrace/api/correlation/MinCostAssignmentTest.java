package org.deeptrace.api.correlation;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;

class MinCostAssignmentTest {
    private static final double FORBIDDEN = 1e9;

    @Test
    void findsTheKnownOptimumOfASquareMatrix() {
        double[][] cost = {
            {4, 1, 3},
            {2, 0, 5},
            {3, 2, 2},
        };
        assertArrayEquals(new int[] {1, 0, 2}, MinCostAssignment.solve(cost));
    }

    @Test
    void beatsTheGreedyChoice() {
        // Greedy gives row 0 its cheapest column 0 and leaves row 1 with 100; the optimum costs 3.
        double[][] cost = {
            {1, 2},
            {1, 100},
        };
        assertArrayEquals(new int[] {1, 0}, MinCostAssignment.solve(cost));
    }

    @Test
    void assignsEveryRowOfAWideMatrixToDistinctColumns() {
        double[][] cost = {
            {9, 9, 1, 9, 9},
            {9, 9, 1, 2, 9},
        };
        assertArrayEquals(new int[] {2, 3}, MinCostAssignment.solve(cost));
    }

    @Test
    void forbiddenCellsPushRowsToTheirNoMatchColumns() {
        // Two parents (columns 0, 1) and one "no match" column per row (2, 3) at cost 40, as correlators build it.
        double[][] cost = {
            {5, FORBIDDEN, 40, 40},
            {3, FORBIDDEN, 40, 40},
        };
        int[] chosen = MinCostAssignment.solve(cost);
        assertEquals(0, chosen[1], "the cheaper row takes the only allowed parent");
        assertTrue(chosen[0] >= 2, "the other row stays unmatched rather than take a forbidden cell");
        assertEquals(3 + 40, cost[0][chosen[0]] + cost[1][chosen[1]]);
    }

    @Test
    void aRowWithOnlyForbiddenCellsStillGetsAColumn() {
        double[][] cost = {
            {FORBIDDEN, FORBIDDEN},
            {1, 2},
        };
        assertArrayEquals(new int[] {1, 0}, MinCostAssignment.solve(cost));
    }

    @Test
    void matchesBruteForceOnRandomMatrices() {
        Random random = new Random(42);
        for (int round = 0; round < 300; round++) {
            int rows = 1 + random.nextInt(4);
            int columns = rows + random.nextInt(3);
            double[][] cost = new double[rows][columns];
            for (double[] row : cost) {
                for (int c = 0; c < columns; c++) {
                    row[c] = random.nextInt(5) == 0 ? FORBIDDEN : random.nextInt(50) - 10;
                }
            }
            int[] chosen = MinCostAssignment.solve(cost);
            boolean[] taken = new boolean[columns];
            double sum = 0;
            for (int r = 0; r < rows; r++) {
                assertFalse(taken[chosen[r]], "column taken twice in round " + round);
                taken[chosen[r]] = true;
                sum += cost[r][chosen[r]];
            }
            assertEquals(bruteForce(cost, 0, new boolean[columns]), sum, 1e-6, "round " + round);
        }
    }

    @Test
    void emptyMatrixHasNoAssignment() {
        assertArrayEquals(new int[0], MinCostAssignment.solve(new double[0][]));
    }

    @Test
    void rejectsMoreRowsThanColumns() {
        assertThrows(IllegalArgumentException.class, () -> MinCostAssignment.solve(new double[][] {{1}, {2}}));
    }

    @Test
    void rejectsRaggedRows() {
        assertThrows(IllegalArgumentException.class, () -> MinCostAssignment.solve(new double[][] {{1, 2}, {3}}));
    }

    private static double bruteForce(double[][] cost, int row, boolean[] taken) {
        if (row == cost.length) {
            return 0;
        }
        double best = Double.POSITIVE_INFINITY;
        for (int c = 0; c < taken.length; c++) {
            if (!taken[c]) {
                taken[c] = true;
                best = Math.min(best, cost[row][c] + bruteForce(cost, row + 1, taken));
                taken[c] = false;
            }
        }
        return best;
    }
}
