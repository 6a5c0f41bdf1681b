package io.hearken.inference.engine;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.hearken.error.ErrorKind;
import io.hearken.error.HearkenException;

import java.util.List;
import java.util.Set;

/**
 * The model input of a manifest: its graph name, its layout and the number of mel bins.
 *
 * @param name    input name in the ONNX graph
 * @param layout  dimension order, comma-separated; supported: {@value #MEL_FRAMES} (a log-mel [bins][frames] window
 *                per batch row, exactly the featurizer's row-major output)
 * @param melBins mel bins per frame (must equal the front end's)
 */
public record InputSpec(String name, String layout, int melBins) {
    public static final String MEL_FRAMES = "batch,1,mel,frames";
    static final List<String> SUPPORTED_LAYOUTS = List.of(MEL_FRAMES);
    static final Set<String> FIELDS = Set.of("name", "layout", "melBins");

    public InputSpec {
        if (name == null || name.isBlank()) {
            throw new HearkenException(ErrorKind.MODEL, "input.name must not be empty");
        }
        layout = layout == null ? "" : layout.replace(" ", "").toLowerCase(java.util.Locale.ROOT);
        if (!SUPPORTED_LAYOUTS.contains(layout)) {
            throw new HearkenException(ErrorKind.MODEL, "input.layout '" + layout + "' is not supported; supported: "
                    + SUPPORTED_LAYOUTS);
        }
        if (melBins < 1) {
            throw new HearkenException(ErrorKind.MODEL, "input.melBins must be >= 1, got " + melBins);
        }
    }

    /** The rank of the input tensor the layout implies. */
    public int rank() {
        return layout.split(",").length;
    }

    static InputSpec parse(JsonFields f) {
        f.allowOnly(FIELDS);
        String name = f.string("name");
        String layout = f.string("layout");
        int melBins = f.integer("melBins");
        try {
            return new InputSpec(name, layout, melBins);
        } catch (HearkenException e) {
            throw new HearkenException(ErrorKind.MODEL, f.source() + ": " + e.getMessage(), e);
        }
    }

    ObjectNode toJson() {
        ObjectNode o = JsonNodeFactory.instance.objectNode();
        o.put("name", name);
        o.put("layout", layout);
        o.put("melBins", melBins);
        return o;
    }
}
