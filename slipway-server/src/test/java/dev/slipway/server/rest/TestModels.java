package dev.slipway.server.rest;

/** The model versions the REST conformance tests serve. */
final class TestModels {
    static final float[] FRAUD_V1_WEIGHTS = {0.002f, -0.01f};
    static final float FRAUD_V1_BIAS = -1f;
    static final float[] FRAUD_V2_WEIGHTS = {0.004f, -0.02f};
    static final float FRAUD_V2_BIAS = -0.5f;

    static final float[] SHIPMENT_WEIGHTS = {0.01f, 0.3f, -0.8f, 0.5f, 0.002f, 0.05f};
    static final float SHIPMENT_BIAS = -1f;
    /** The default of the nullable {@code distance_km} feature. */
    static final double SHIPMENT_DISTANCE_DEFAULT = 50;

    static final float[] SIMPLE_WEIGHTS = {0.3f, -0.2f};
    static final float SIMPLE_BIAS = 0.1f;

    static final float[] FLAKY_WEIGHTS = {0.1f, 0.2f};
    static final double FLAKY_FAIL_ABOVE = 100;

    private TestModels() {}

    /**
     * {@code fraud}: features {@code amount} (0..10000) and {@code account_age_days} (0..3650) in one FP32 tensor;
     * outputs of every served kind: a probability column with its decision, the INT64 label, the whole FP32 [rows, 2]
     * probabilities (labelled legit, fraud) and an FP64 copy of the probability.
     */
    static TestModel fraud(int version) {
        float[] weights = version == 1 ? FRAUD_V1_WEIGHTS : FRAUD_V2_WEIGHTS;
        float bias = version == 1 ? FRAUD_V1_BIAS : FRAUD_V2_BIAS;
        return TestModel.named("fraud", version)
                .feature("amount", "type: float, unit: EUR, min: 0, max: 10000")
                .feature("account_age_days", "type: float, unit: d, min: 0, max: 3650")
                .weights(bias, weights)
                .output("name: fraud_probability, from: probabilities, column: 1, datatype: FP32, kind: probability,"
                        + " threshold: 0.5, decision: fraudulent")
                .output("name: label, from: label, datatype: INT64")
                .output("name: probabilities, from: probabilities, datatype: FP32, labels: [legit, fraud]")
                .output("name: fraud_score64, from: probabilities, column: 1, datatype: FP64")
                .goldenOutput("fraud_probability")
                .golden("1500,30", 1500, 30)
                .golden("20,400", 20, 400)
                .golden("5000,1000", 5000, 1000);
    }

    /** The probability of fraud version {@code version} for one row. */
    static float fraudProbability(int version, double amount, double accountAgeDays) {
        return version == 1
                ? TestModel.probability(FRAUD_V1_WEIGHTS, FRAUD_V1_BIAS, amount, accountAgeDays)
                : TestModel.probability(FRAUD_V2_WEIGHTS, FRAUD_V2_BIAS, amount, accountAgeDays);
    }

    /**
     * {@code shipment-risk}: one feature of every kind, so both the model-tensor and the per-feature paths are
     * exercised: {@code speed_kmh} float 0..160, {@code stops} int 0..20, {@code refrigerated} bool, {@code road_type}
     * categorical (highway 0, urban 1, rural 2), {@code distance_km} nullable float with default 50 and {@code
     * delay_min} nullable float without default.
     */
    static TestModel shipment() {
        return TestModel.named("shipment-risk", 1)
                .feature("speed_kmh", "type: float, unit: km/h, min: 0, max: 160")
                .feature("stops", "type: int, min: 0, max: 20")
                .feature("refrigerated", "type: bool")
                .feature("road_type", "type: categorical, categories: {highway: 0, urban: 1, rural: 2}")
                .feature("distance_km", "type: float, unit: km, min: 0, max: 20000, nullable: true, default: 50")
                .feature("delay_min", "type: float, unit: min, min: 0, max: 1440, nullable: true")
                .weights(SHIPMENT_BIAS, SHIPMENT_WEIGHTS)
                .output("name: risk, from: probabilities, column: 1, datatype: FP32, kind: probability,"
                        + " threshold: 0.5, decision: risky")
                .goldenOutput("risk")
                .golden("80,2,true,urban,120,10", 80, 2, 1, 1, 120, 10)
                .golden("10,0,false,highway,,", 10, 0, 0, 0, SHIPMENT_DISTANCE_DEFAULT, Double.NaN);
    }

    /** The shipment risk for encoded values (booleans 0/1, road types as codes, a missing delay as NaN). */
    static float shipmentRisk(
            double speed, double stops, double refrigerated, double roadType, double distance, double delay) {
        return TestModel.probability(
                SHIPMENT_WEIGHTS, SHIPMENT_BIAS, speed, stops, refrigerated, roadType, distance, delay);
    }

    /** A two-feature model {@code a}, {@code b} with one output {@code score}, under any name. */
    static TestModel simple(String name) {
        return TestModel.named(name, 1)
                .feature("a", "type: float")
                .feature("b", "type: float")
                .weights(SIMPLE_BIAS, SIMPLE_WEIGHTS)
                .output("name: score, from: probabilities, column: 1, datatype: FP32")
                .golden("1,1", 1, 1)
                .golden("-2,3", -2, 3);
    }

    static float simpleScore(double a, double b) {
        return TestModel.probability(SIMPLE_WEIGHTS, SIMPLE_BIAS, a, b);
    }

    /** {@code flaky}: features {@code x}, {@code y}; the engine fails when {@code x} exceeds 100. */
    static TestModel flaky() {
        return TestModel.named("flaky", 1)
                .feature("x", "type: float")
                .feature("y", "type: float")
                .weights(0f, FLAKY_WEIGHTS)
                .failAbove(FLAKY_FAIL_ABOVE)
                .output("name: score, from: probabilities, column: 1, datatype: FP32")
                .golden("1,2", 1, 2);
    }

    /** {@code broken}: its only version fails the parity gate, because its golden values are wrong. */
    static TestModel broken() {
        return simple("broken").wrongGolden();
    }
}
