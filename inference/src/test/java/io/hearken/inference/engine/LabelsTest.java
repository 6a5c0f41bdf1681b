package io.hearken.inference.engine;

import io.hearken.error.ErrorKind;
import io.hearken.error.HearkenException;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class LabelsTest {

    @Test
    void parsesTheRealLabelsFileWithQuotedCommas() {
        Labels labels = Labels.load(Fixtures.modelDir().resolve("labels.csv"));
        assertThat(labels.size()).isEqualTo(527);
        assertThat(labels.label(0)).isEqualTo("Speech");
        assertThat(labels.label(1)).isEqualTo("Male speech, man speaking");
        assertThat(labels.mid(0)).isEqualTo("/m/09x0r");
        assertThat(labels.indexOf("Male speech, man speaking")).hasValue(1);
        assertThat(labels.indexOf("no such class")).isEmpty();
    }

    @Test
    void handlesDoubledQuotesAndUnquotedFields() {
        Labels labels = Labels.parse(List.of("index,mid,display_name", "0,/m/a,\"Say \"\"hi\"\", ok\"", "1,/m/b,Plain",
                ""), "t.csv");
        assertThat(labels.label(0)).isEqualTo("Say \"hi\", ok");
        assertThat(labels.label(1)).isEqualTo("Plain");
        assertThat(labels.size()).isEqualTo(2);
    }

    @Test
    void badFilesAreModelErrorsNamingFileAndLine() {
        assertModelError(List.of("index,mid,display_name", "0,/m/a,\"unterminated"), "line 2", "unterminated");
        assertModelError(List.of("index,mid,display_name", "0,/m/a,A", "2,/m/b,B"), "line 3", "expected index 1");
        assertModelError(List.of("index,mid,display_name", "0,/m/a"), "line 2", "3 fields");
        assertModelError(List.of("idx,name"), "line 1", "header");
        assertModelError(List.of(), "line 1", "empty");
    }

    private static void assertModelError(List<String> lines, String... fragments) {
        assertThatThrownBy(() -> Labels.parse(lines, "bad.csv"))
                .isInstanceOfSatisfying(HearkenException.class, e -> {
                    assertThat(e.kind()).isEqualTo(ErrorKind.MODEL);
                    assertThat(e.getMessage()).contains("bad.csv").contains(fragments);
                });
    }
}
