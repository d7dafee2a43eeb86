package dev.slipway.contract;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.slipway.api.DataType;
import dev.slipway.api.ErrorCode;
import dev.slipway.api.SlipwayException;
import dev.slipway.api.Tensor;
import dev.slipway.api.TensorData;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ClassificationTest {
    @Test
    void theSpecsExampleKeepsTheTwoHighestWithTheirIndex() {
        Tensor scores = Tensor.ofFloats("scores", new long[] {1, 4}, 1.1f, 3.3f, 0.5f, 2.4f);

        Tensor top = Classification.top(scores, 2, List.of());

        assertThat(top.datatype()).isEqualTo(DataType.BYTES);
        assertThat(top.shape()).containsExactly(1, 2);
        assertThat(texts(top)).containsExactly("3.300000:1", "2.400000:3");
    }

    @Test
    void eachRowIsRankedOnItsOwnAndLabelsAreAppended() {
        Tensor scores = Tensor.ofDoubles("scores", new long[] {2, 3}, 0.2, 0.5, 0.3, 0.7, 0.1, 0.2);

        Tensor top = Classification.top(scores, 1, List.of("cat", "dog", "emu"));

        assertThat(top.shape()).containsExactly(2, 1);
        assertThat(texts(top)).containsExactly("0.500000:1:dog", "0.700000:0:cat");
    }

    @Test
    void moreThanTheColumnsGivesEveryColumnAndTiesKeepColumnOrder() {
        Tensor counts = Tensor.ofLongs("counts", new long[] {1, 3}, 4, 9, 4);

        Tensor top = Classification.top(counts, 10, List.of("a"));

        assertThat(top.shape()).containsExactly(1, 3);
        assertThat(texts(top)).containsExactly("9:1", "4:0:a", "4:2");
    }

    @Test
    void aPerRowValueIsOneEntryPerRow() {
        Tensor probability = Tensor.ofFloats("p", new long[] {3}, 0.25f, 0.5f, 1f);

        Tensor top = Classification.top(probability, 3, List.of());

        assertThat(top.shape()).containsExactly(3, 1);
        assertThat(texts(top)).containsExactly("0.250000:0", "0.500000:0", "1.000000:0");
    }

    @Test
    void bytesOutputsCannotBeClassified() {
        Tensor names = Tensor.ofStrings("names", new long[] {1}, "a");

        assertThatThrownBy(() -> Classification.top(names, 1, List.of()))
                .isInstanceOfSatisfying(
                        SlipwayException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.INVALID_INPUT))
                .hasMessage("output 'names': classification 1 (expected: on a numeric output; it is BYTES)");
    }

    private static List<String> texts(Tensor tensor) {
        TensorData.Strings strings = (TensorData.Strings) tensor.data();
        List<String> texts = new ArrayList<>();
        for (int i = 0; i < strings.size(); i++) {
            texts.add(strings.text(i));
        }
        return texts;
    }
}
