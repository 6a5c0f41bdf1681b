package io.hearken.inference.engine;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.hearken.error.ErrorKind;
import io.hearken.error.HearkenException;
import io.hearken.featurizer.dsp.FrontendConfig;
import io.hearken.featurizer.dsp.FrontendConfig.MelScale;
import io.hearken.featurizer.dsp.FrontendConfig.Normalization;
import io.hearken.featurizer.dsp.FrontendConfig.PadMode;
import io.hearken.featurizer.dsp.FrontendConfig.WindowType;

import java.util.Arrays;
import java.util.Locale;
import java.util.Set;

/**
 * The {@code frontend} block of a model manifest: the log-mel front end the model was trained with. Its fields mirror
 * the components of the featurizer's {@link FrontendConfig} one to one (same names, units and rules; enums as
 * lower-case strings, e.g. {@code "window": "hann_symmetric"}, {@code "melScale": "kaldi"}; {@code normalization} as
 * {@code {"mean": m, "std": s}}, absent for none), so a manifest states exactly what {@link #toConfig()} builds.
 * Validation is FrontendConfig's own, applied on construction and reported as a MODEL error naming the manifest.
 */
public record FrontendSpec(int sampleRate, int nFft, int winLength, WindowType window, int hop, boolean centered,
                           PadMode padMode, double preEmphasis, MelScale melScale, int melBins, double fMin,
                           double fMax, double logOffset, double shift, double scale, Normalization normalization) {

    static final Set<String> FIELDS = Set.of("sampleRate", "nFft", "winLength", "window", "hop", "centered",
            "padMode", "preEmphasis", "melScale", "melBins", "fMin", "fMax", "logOffset", "shift", "scale",
            "normalization");

    public FrontendSpec {
        build(sampleRate, nFft, winLength, window, hop, centered, padMode, preEmphasis, melScale, melBins, fMin, fMax,
                logOffset, shift, scale, normalization); // FrontendConfig's validation
    }

    public static FrontendSpec of(FrontendConfig c) {
        return new FrontendSpec(c.sampleRate(), c.nFft(), c.winLength(), c.window(), c.hop(), c.centered(),
                c.padMode(), c.preEmphasis(), c.melScale(), c.melBins(), c.fMin(), c.fMax(), c.logOffset(), c.shift(),
                c.scale(), c.normalization());
    }

    /** The EfficientAT front end ({@link FrontendConfig#efficientAt()}). */
    public static FrontendSpec efficientAt() {
        return of(FrontendConfig.efficientAt());
    }

    /** The featurizer's typed configuration; the shared {@link FrontendConfig#efficientAt()} when it is that one. */
    public FrontendConfig toConfig() {
        FrontendConfig c = build(sampleRate, nFft, winLength, window, hop, centered, padMode, preEmphasis, melScale,
                melBins, fMin, fMax, logOffset, shift, scale, normalization);
        FrontendConfig efficientAt = FrontendConfig.efficientAt();
        return c.equals(efficientAt) ? efficientAt : c;
    }

    public boolean isEfficientAt() {
        return toConfig().equals(FrontendConfig.efficientAt());
    }

    private static FrontendConfig build(int sampleRate, int nFft, int winLength, WindowType window, int hop,
                                        boolean centered, PadMode padMode, double preEmphasis, MelScale melScale,
                                        int melBins, double fMin, double fMax, double logOffset, double shift,
                                        double scale, Normalization normalization) {
        return new FrontendConfig(sampleRate, nFft, winLength, window, hop, centered, padMode, preEmphasis, melScale,
                melBins, fMin, fMax, logOffset, shift, scale, normalization);
    }

    /** Frames per second of audio (sampleRate / hop). */
    public double framesPerSecond() {
        return (double) sampleRate / hop;
    }

    static FrontendSpec parse(JsonFields f) {
        f.allowOnly(FIELDS);
        int sampleRate = f.integer("sampleRate");
        int nFft = f.integer("nFft");
        int winLength = f.integer("winLength");
        WindowType window = enumOf(f, "window", WindowType.class);
        int hop = f.integer("hop");
        boolean centered = f.bool("centered");
        PadMode padMode = enumOf(f, "padMode", PadMode.class);
        double preEmphasis = f.number("preEmphasis");
        MelScale melScale = enumOf(f, "melScale", MelScale.class);
        int melBins = f.integer("melBins");
        double fMin = f.number("fMin");
        double fMax = f.number("fMax");
        double logOffset = f.number("logOffset");
        double shift = f.number("shift");
        double scale = f.number("scale");
        try {
            Normalization normalization = Normalization.NONE;
            if (f.has("normalization")) {
                JsonFields n = f.object("normalization");
                n.allowOnly(Set.of("mean", "std"));
                normalization = new Normalization(n.number("mean"), n.number("std"));
            }
            return new FrontendSpec(sampleRate, nFft, winLength, window, hop, centered, padMode, preEmphasis,
                    melScale, melBins, fMin, fMax, logOffset, shift, scale, normalization);
        } catch (HearkenException e) {
            if (e.kind() == ErrorKind.MODEL) {
                throw e;
            }
            throw new HearkenException(ErrorKind.MODEL, f.source() + ": frontend: " + e.getMessage(), e);
        }
    }

    private static <E extends Enum<E>> E enumOf(JsonFields f, String key, Class<E> type) {
        String v = f.string(key);
        for (E e : type.getEnumConstants()) {
            if (e.name().equalsIgnoreCase(v.replace('-', '_'))) {
                return e;
            }
        }
        throw f.error(key, "must be one of " + Arrays.stream(type.getEnumConstants()).map(FrontendSpec::wire).toList()
                + ", got '" + v + "'");
    }

    private static String wire(Enum<?> e) {
        return e.name().toLowerCase(Locale.ROOT);
    }

    ObjectNode toJson() {
        ObjectNode o = JsonNodeFactory.instance.objectNode();
        o.put("sampleRate", sampleRate);
        o.put("nFft", nFft);
        o.put("winLength", winLength);
        o.put("window", wire(window));
        o.put("hop", hop);
        o.put("centered", centered);
        o.put("padMode", wire(padMode));
        o.put("preEmphasis", preEmphasis);
        o.put("melScale", wire(melScale));
        o.put("melBins", melBins);
        o.put("fMin", fMin);
        o.put("fMax", fMax);
        o.put("logOffset", logOffset);
        o.put("shift", shift);
        o.put("scale", scale);
        if (normalization.enabled()) {
            ObjectNode n = o.putObject("normalization");
            n.put("mean", normalization.mean());
            n.put("std", normalization.std());
        }
        return o;
    }
}
