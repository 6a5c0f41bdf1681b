package io.hearken.bench;

import io.hearken.featurizer.dsp.EfficientAtFrontend;
import io.hearken.featurizer.dsp.FrontendConfig;
import io.hearken.featurizer.dsp.LogMelFrontend;

import java.util.function.Supplier;

/**
 * The front ends benchmarked by {@link FrontendBenchmark} (a JMH enum parameter: every constant is run). Adding
 * a front end is one line here. Reference and goal, in audio seconds per CPU second, are printed next to the
 * measured figure by {@link FrontendBench}; NaN where there is none.
 */
public enum FrontendPreset {
    /** PyTorch 1.13 running the same front end on one thread does about 257x real time (quoted from the issue). */
    EFFICIENTAT(EfficientAtFrontend::new, 257.0, "PyTorch 1.13, same front end, one thread", 1_000.0),
    BYOLA(() -> LogMelFrontend.create(FrontendConfig.byolA()), Double.NaN, "", Double.NaN),
    M2D(() -> LogMelFrontend.create(FrontendConfig.m2d()), Double.NaN, "", Double.NaN);

    private final Supplier<LogMelFrontend> factory;
    /** Reference speed (x real time per core), NaN if none. */
    public final double reference;
    public final String referenceWhat;
    /** Goal (x real time per core), NaN if none. */
    public final double goal;

    FrontendPreset(Supplier<LogMelFrontend> factory, double reference, String referenceWhat, double goal) {
        this.factory = factory;
        this.reference = reference;
        this.referenceWhat = referenceWhat;
        this.goal = goal;
    }

    public LogMelFrontend create() {
        return factory.get();
    }
}
