package dev.slipway.drift;

/**
 * Data quality of one column in one window. Shares are of all rows of the window (NaN for an empty window).
 *
 * @param rows rows observed
 * @param values values in the distribution: rows less missing ones and values of the wrong type or not finite
 * @param missing missing values (left out of every distribution metric)
 * @param outOfContract present values breaking the feature's contract (out of bounds, not an integer, an undeclared
 *     category, the wrong type); those of the right type still count in the distribution
 * @param unseen categorical values whose category the reference sample never shows
 * @param missingShare missing / rows
 * @param referenceMissingShare the reference sample's missing share
 * @param outOfContractShare outOfContract / rows
 * @param unseenShare unseen / rows
 */
public record DataQuality(
        long rows,
        long values,
        long missing,
        long outOfContract,
        long unseen,
        double missingShare,
        double referenceMissingShare,
        double outOfContractShare,
        double unseenShare) {}
