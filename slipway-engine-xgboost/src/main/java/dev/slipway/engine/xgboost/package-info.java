/** The XGBoost engine: loads models saved by Python XGBoost as JSON or UBJSON and runs them with xgboost4j. */
@NullMarked
package dev.slipway.engine.xgboost;

import org.jspecify.annotations.NullMarked;
