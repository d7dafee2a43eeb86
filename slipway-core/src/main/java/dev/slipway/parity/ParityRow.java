package dev.slipway.parity;

/**
 * One compared value of a golden example.
 *
 * @param row the golden row (0-based)
 * @param output the output compared
 * @param expected the value the research code produced
 * @param actual the value the served model produced
 * @param absError the absolute difference (0 or 1 for booleans)
 * @param ok whether it is within tolerance
 */
public record ParityRow(int row, String output, String expected, String actual, double absError, boolean ok) {}
