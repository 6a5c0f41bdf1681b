package io.hearken.inference.engine;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.hearken.error.ErrorKind;
import io.hearken.error.HearkenException;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The manifest of a model package, {@value #FILE_NAME}: what the model is, which file holds it (and its SHA-256),
 * what it takes as input and which front end makes that input, the default window and hop, and every output the
 * engine computes and returns with its role. Example:
 *
 * <pre>{@code
 * {
 *   "format": 1,
 *   "id": "efficientat-mn04", "version": "1.0.0", "licence": "MIT",
 *   "onnx": "model.onnx", "sha256": "a2508b43...",
 *   "input": {"name": "mel", "layout": "batch,1,mel,frames", "melBins": 128},
 *   "frontend": {"sampleRate": 32000, "nFft": 1024, "winLength": 800, "window": "hann_symmetric", "hop": 320,
 *                "centered": true, "padMode": "reflect", "preEmphasis": 0.97, "melScale": "kaldi", "melBins": 128,
 *                "fMin": 0.0, "fMax": 15000.0, "logOffset": 1.0E-5, "shift": 4.5, "scale": 5.0},
 *   "defaultWindow": "PT2S", "defaultHop": "PT1S",
 *   "outputs": [
 *     {"name": "logits", "role": "logits", "dim": 527, "activation": "sigmoid", "labels": "labels.csv"},
 *     {"name": "embedding", "role": "embedding", "dim": 384},
 *     {"name": "mid", "role": "feature", "dim": 256}
 *   ]
 * }
 * }</pre>
 *
 * Durations are ISO-8601 strings or numbers of milliseconds. A top-level {@code "labels"} is the default labels file
 * of a logits output that names none. Unknown fields are rejected (a typo must not pass silently), except
 * {@code "description"}, {@code "homepage"} and keys starting with {@code x-}. Parsing checks the manifest on its own;
 * {@link ModelPackage#load} checks it against the files.
 *
 * @param labels the labels file of the logits output, if the model has one
 */
public record ModelManifest(String id, String version, String licence, String sha256, String onnx,
                            Optional<String> labels, InputSpec input, FrontendSpec frontend, Duration defaultWindow,
                            Duration defaultHop, List<OutputSpec> outputs) {
    public static final String FILE_NAME = "hearken-model.json";
    public static final int FORMAT = 1;

    static final Pattern ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,99}");
    private static final Pattern SHA256 = Pattern.compile("[0-9a-f]{64}");
    private static final Set<String> FIELDS = Set.of("format", "id", "version", "licence", "sha256", "onnx", "labels",
            "input", "frontend", "defaultWindow", "defaultHop", "outputs", "description", "homepage");
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    public ModelManifest {
        if (id == null || !ID.matcher(id).matches()) {
            throw new HearkenException(ErrorKind.MODEL, "id must be letters, digits, '.', '_' or '-' (starting with a "
                    + "letter or digit, at most 100), got '" + id + "'");
        }
        require(version, "version");
        require(licence, "licence");
        sha256 = sha256 == null ? null : sha256.trim().toLowerCase(Locale.ROOT);
        if (sha256 == null || !SHA256.matcher(sha256).matches()) {
            throw new HearkenException(ErrorKind.MODEL, "sha256 must be 64 hex digits, got '" + sha256 + "'");
        }
        checkFileName(onnx, "onnx");
        if (input == null || frontend == null || defaultWindow == null || defaultHop == null || outputs == null
                || labels == null) {
            throw new HearkenException(ErrorKind.MODEL, "input, frontend, defaultWindow, defaultHop, outputs and "
                    + "labels must not be null");
        }
        if (defaultWindow.isNegative() || defaultWindow.isZero() || defaultHop.isNegative() || defaultHop.isZero()) {
            throw new HearkenException(ErrorKind.MODEL, "defaultWindow and defaultHop must be positive, got "
                    + defaultWindow + " and " + defaultHop);
        }
        if (input.melBins() != frontend.melBins()) {
            throw new HearkenException(ErrorKind.MODEL, "input.melBins (" + input.melBins()
                    + ") differs from frontend.melBins (" + frontend.melBins() + ")");
        }
        outputs = List.copyOf(outputs);
        if (outputs.isEmpty()) {
            throw new HearkenException(ErrorKind.MODEL, "outputs must name at least one output");
        }
        Set<String> names = new HashSet<>();
        OutputSpec logits = null;
        for (OutputSpec o : outputs) {
            if (!names.add(o.name())) {
                throw new HearkenException(ErrorKind.MODEL, "output '" + o.name() + "' is named twice");
            }
            if (o.isLogits()) {
                if (logits != null) {
                    throw new HearkenException(ErrorKind.MODEL, "at most one logits output is supported, found '"
                            + logits.name() + "' and '" + o.name() + "'");
                }
                logits = o;
            }
        }
        Optional<String> logitsLabels = logits == null ? Optional.empty() : logits.labels();
        if (labels.isPresent() && !labels.equals(logitsLabels)) {
            throw new HearkenException(ErrorKind.MODEL, "labels '" + labels.get() + "' "
                    + (logits == null ? "given but no output has role logits"
                    : "differs from the labels of logits output '" + logits.name() + "' (" + logitsLabels.get() + ")"));
        }
        labels = logitsLabels;
        if (onnx.equals(FILE_NAME) || labels.filter(l -> l.equals(onnx) || l.equals(FILE_NAME)).isPresent()) {
            throw new HearkenException(ErrorKind.MODEL, "onnx, labels and " + FILE_NAME + " must be different files");
        }
    }

    /** Whether {@code id} is a valid model id (also a safe directory name). */
    public static boolean isValidId(String id) {
        return id != null && ID.matcher(id).matches();
    }

    private static void require(String value, String field) {
        if (value == null || value.isBlank()) {
            throw new HearkenException(ErrorKind.MODEL, field + " must not be empty");
        }
    }

    /** A file of a package is a plain name inside the package directory: no path, no "..", no hidden file. */
    static void checkFileName(String name, String field) {
        if (name == null || name.isBlank() || name.contains("/") || name.contains("\\") || name.startsWith(".")
                || name.contains("\0")) {
            throw new HearkenException(ErrorKind.MODEL, field + " must be a plain file name inside the package "
                    + "directory (no path, not hidden), got '" + name + "'");
        }
    }

    /** Reads and checks {@code file}; any problem is a MODEL error naming the file. */
    public static ModelManifest read(Path file) {
        String text;
        try {
            text = Files.readString(file);
        } catch (IOException e) {
            throw new HearkenException(ErrorKind.MODEL, "cannot read model manifest " + file + ": " + e, e);
        }
        return parse(text, file.toString());
    }

    /** Parses manifest text; {@code source} names it in error messages. */
    public static ModelManifest parse(String json, String source) {
        JsonNode root;
        try {
            root = JSON.readTree(json);
        } catch (JsonProcessingException e) {
            throw new HearkenException(ErrorKind.MODEL, source + ": not valid JSON: " + e.getOriginalMessage()
                    + (e.getLocation() == null ? "" : " at line " + e.getLocation().getLineNr()), e);
        }
        if (root == null || root.isMissingNode()) {
            throw new HearkenException(ErrorKind.MODEL, source + ": empty manifest");
        }
        JsonFields f = new JsonFields(root, source, "");
        f.allowOnly(FIELDS);
        if (f.has("format")) {
            int format = f.integer("format");
            if (format != FORMAT) {
                throw f.error("format", "is " + format + " but this Hearken reads format " + FORMAT
                        + (format > FORMAT ? " (the manifest was written for a newer Hearken)" : ""));
            }
        }
        String id = f.string("id");
        String version = f.string("version");
        String licence = f.string("licence");
        String sha256 = f.string("sha256");
        String onnx = f.string("onnx");
        Optional<String> labels = f.optString("labels");
        InputSpec input = InputSpec.parse(f.object("input"));
        FrontendSpec frontend = FrontendSpec.parse(f.object("frontend"));
        Duration window = f.duration("defaultWindow");
        Duration hop = f.duration("defaultHop");
        List<OutputSpec> outputs = new ArrayList<>();
        for (JsonFields o : f.objects("outputs")) {
            outputs.add(OutputSpec.parse(o, labels));
        }
        try {
            return new ModelManifest(id, version, licence, sha256, onnx, labels, input, frontend, window, hop, outputs);
        } catch (HearkenException e) {
            throw new HearkenException(ErrorKind.MODEL, source + ": " + e.getMessage(), e);
        }
    }

    /** The manifest as JSON text, in the format {@link #parse} reads. */
    public String toJson() {
        ObjectNode o = JSON.createObjectNode();
        o.put("format", FORMAT);
        o.put("id", id);
        o.put("version", version);
        o.put("licence", licence);
        o.put("onnx", onnx);
        o.put("sha256", sha256);
        o.set("input", input.toJson());
        o.set("frontend", frontend.toJson());
        o.put("defaultWindow", defaultWindow.toString());
        o.put("defaultHop", defaultHop.toString());
        ArrayNode outs = o.putArray("outputs");
        for (OutputSpec out : outputs) {
            outs.add(out.toJson());
        }
        try {
            return JSON.writeValueAsString(o) + "\n";
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The logits output, if the model has one. */
    public Optional<OutputSpec> logits() {
        return outputs.stream().filter(OutputSpec::isLogits).findFirst();
    }

    /** The feature outputs (embedding and feature roles), in manifest order. */
    public List<OutputSpec> features() {
        return outputs.stream().filter(o -> !o.isLogits()).toList();
    }

    public List<String> featureNames() {
        return features().stream().map(OutputSpec::name).toList();
    }

    public Optional<OutputSpec> output(String name) {
        return outputs.stream().filter(o -> o.name().equals(name)).findFirst();
    }

    /** The files the package consists of besides the manifest: the ONNX file, then the labels file if any. */
    public List<String> files() {
        Set<String> out = new LinkedHashSet<>();
        out.add(onnx);
        labels.ifPresent(out::add);
        return List.copyOf(out);
    }

    /** The same manifest with another id (installing a package under a different name). */
    public ModelManifest withId(String newId) {
        return new ModelManifest(newId, version, licence, sha256, onnx, labels, input, frontend, defaultWindow,
                defaultHop, outputs);
    }
}
