package io.hearken.sinks.anomaly;

import java.util.Arrays;
import java.util.List;

/**
 * A fitted anomaly scorer over one enrolment bank (DCASE Task 2 setting: only normal sound is known in advance).
 *
 * <ul>
 *   <li><b>Standardisation.</b> Each dimension is standardised with the bank's mean and standard deviation
 *       (population); a dimension that does not vary in the bank (std &lt; 1e-6) keeps scale 1, as scikit-learn's
 *       StandardScaler does, so a dead channel cannot blow tiny differences up.</li>
 *   <li><b>Score.</b> The mean distance ({@link DistanceMetric}) from a window's standardised vector to its k nearest
 *       standardised enrolment vectors; larger is more anomalous.</li>
 *   <li><b>Threshold.</b> The {@link ScorerConfig#quantile() quantile} (linear interpolation between order
 *       statistics, numpy's default) of the enrolment vectors' own scores, each computed as if its window were new:
 *       <ul>
 *         <li>against the bank <em>without its temporal neighbours</em>: the vectors of the same segment whose time
 *             range is less than {@link ScorerConfig#neighbourGap()} from its own (overlapping windows have a
 *             negative gap, so they always are; with the default 1 s gap and 1 s windows at 0.5 s hop that is the
 *             window and the three on each side). Plain leave-one-out is far too low: a window's overlapping
 *             neighbours share its audio, so every normal test window would score above such a threshold. Vectors of
 *             other segments (other files, other streams of a machine group) are never neighbours;</li>
 *         <li>in the standardisation of the bank <em>without the vector itself</em>: in a small bank (9 vectors of
 *             256 dimensions for 5 s of audio) an in-sample vector's z-scores are bounded by sqrt(n - 1) and a new
 *             window's are not, which put the threshold below half of the normal test windows on the DCASE clips.
 *             (Leaving the neighbours out of the mean and deviation too would leave too few vectors to estimate a
 *             scale from: thresholds 20 times too high.) For large banks this changes nothing.</li>
 *       </ul>
 *       An enrolment vector with nothing but neighbours in the bank gives no score.</li>
 * </ul>
 * Immutable and thread-safe once built.
 */
public final class AnomalyScorer {
    /** Dimensions whose bank standard deviation is below this keep scale 1. */
    static final double MIN_STD = 1e-6;

    private final ScorerConfig config;
    private final float[] mean;
    private final float[] scale;
    private final float[][] bank;
    private final double threshold;
    private final double[] enrolmentScores;

    private AnomalyScorer(ScorerConfig config, float[] mean, float[] scale, float[][] bank, double threshold,
                          double[] enrolmentScores) {
        this.config = config;
        this.mean = mean;
        this.scale = scale;
        this.bank = bank;
        this.threshold = threshold;
        this.enrolmentScores = enrolmentScores;
    }

    /**
     * Fits on {@code vectors}: standardisation, leave-neighbours-out enrolment scores and the threshold.
     *
     * @throws IllegalArgumentException when the vectors differ in dimension, or fewer than two of them, or no vector
     *                                  has a non-neighbour to be scored against
     */
    public static AnomalyScorer fit(List<EnrolmentVector> vectors, ScorerConfig config) {
        int n = vectors.size();
        if (n < 2) {
            throw new IllegalArgumentException("an enrolment bank needs at least 2 vectors, got " + n);
        }
        int dim = checkDimensions(vectors);
        double[] sum = new double[dim];
        for (EnrolmentVector v : vectors) {
            for (int d = 0; d < dim; d++) {
                sum[d] += v.values()[d];
            }
        }
        float[] mean = new float[dim];
        for (int d = 0; d < dim; d++) {
            mean[d] = (float) (sum[d] / n);
        }
        double[] sq = new double[dim];
        for (EnrolmentVector v : vectors) {
            for (int d = 0; d < dim; d++) {
                double x = v.values()[d] - mean[d];
                sq[d] += x * x;
            }
        }
        float[] scale = new float[dim];
        for (int d = 0; d < dim; d++) {
            double std = Math.sqrt(sq[d] / n);
            scale[d] = std < MIN_STD ? 1f : (float) std;
        }
        float[][] bank = standardiseAll(vectors, mean, scale);
        double[] scores = leaveNeighboursOutScores(vectors, config);
        if (scores.length == 0) {
            throw new IllegalArgumentException("no enrolment vector has a vector other than its temporal neighbours "
                    + "(within " + config.neighbourGap() + ") to be scored against: enrol more audio");
        }
        double[] sorted = scores.clone();
        Arrays.sort(sorted);
        return new AnomalyScorer(config, mean, scale, bank, quantile(sorted, config.quantile()), scores);
    }

    /** Rebuilds a scorer fitted earlier from its bank, standardisation and threshold (no enrolment scores). */
    public static AnomalyScorer restore(List<EnrolmentVector> vectors, float[] mean, float[] scale, double threshold,
                                        ScorerConfig config) {
        int dim = checkDimensions(vectors);
        if (mean.length != dim || scale.length != dim) {
            throw new IllegalArgumentException("standardisation of dimension " + mean.length + "/" + scale.length
                    + " for vectors of dimension " + dim);
        }
        return new AnomalyScorer(config, mean.clone(), scale.clone(), standardiseAll(vectors, mean, scale), threshold,
                new double[0]);
    }

    /** Anomaly score of one window's feature vector. */
    public double score(float[] vector) {
        if (vector.length != mean.length) {
            throw new IllegalArgumentException("vector of dimension " + vector.length + ", bank of dimension " + mean.length);
        }
        float[] z = standardise(vector, mean, scale);
        double[] best = newBest(config.k());
        for (float[] b : bank) {
            insert(best, config.metric().distance(z, b));
        }
        return meanOfFinite(best);
    }

    /** True when {@code score} is above the threshold. */
    public boolean isAnomalous(double score) {
        return score > threshold;
    }

    public double threshold() {
        return threshold;
    }

    /** The leave-neighbours-out score of each enrolment vector that had one (empty for a restored scorer). */
    public double[] enrolmentScores() {
        return enrolmentScores.clone();
    }

    public float[] mean() {
        return mean.clone();
    }

    public float[] scale() {
        return scale.clone();
    }

    public int dimension() {
        return mean.length;
    }

    public int bankSize() {
        return bank.length;
    }

    public ScorerConfig config() {
        return config;
    }

    /**
     * True when a and b come from the same segment and the gap between their time ranges is shorter than
     * {@code gapMicros} (overlapping ranges have a negative gap, so a window is its own neighbour).
     */
    public static boolean areNeighbours(EnrolmentVector a, EnrolmentVector b, long gapMicros) {
        if (!a.segment().equals(b.segment())) {
            return false;
        }
        long gap = Math.max(a.startMicros(), b.startMicros()) - Math.min(a.endMicros(), b.endMicros());
        boolean sameRange = a.startMicros() == b.startMicros() && a.endMicros() == b.endMicros();
        return gap < gapMicros || gap < 0 || sameRange;
    }

    /** The q-quantile of ascending {@code sorted} values, linear between order statistics (numpy's default). */
    public static double quantile(double[] sorted, double q) {
        if (sorted.length == 0) {
            throw new IllegalArgumentException("quantile of no values");
        }
        double pos = q * (sorted.length - 1);
        int lo = (int) Math.floor(pos);
        int hi = Math.min(lo + 1, sorted.length - 1);
        return sorted[lo] + (pos - lo) * (sorted[hi] - sorted[lo]);
    }

    /**
     * Each enrolment vector scored as if it were a new window: against the bank without its temporal neighbours, in
     * the standardisation of the bank without itself. Leaving the vector out of the mean and standard deviation
     * matters for small banks (with 9 vectors in 256 dimensions an in-sample vector's z-scores are bounded by
     * sqrt(8), a new one's are not, and the threshold came out below most normal test windows); leaving its
     * neighbours out of them too would leave too few vectors to estimate a scale from. For large banks this is the
     * plain leave-neighbours-out score.
     */
    private static double[] leaveNeighboursOutScores(List<EnrolmentVector> vectors, ScorerConfig config) {
        int n = vectors.size();
        int dim = vectors.get(0).values().length;
        long gap = config.neighbourGapMicros();
        // Centred on the full bank's mean, for numerically stable leave-one-out moments.
        double[] fullMean = new double[dim];
        for (EnrolmentVector v : vectors) {
            for (int d = 0; d < dim; d++) {
                fullMean[d] += v.values()[d];
            }
        }
        for (int d = 0; d < dim; d++) {
            fullMean[d] /= n;
        }
        double[] sumSq = new double[dim];
        for (EnrolmentVector v : vectors) {
            for (int d = 0; d < dim; d++) {
                double c = v.values()[d] - fullMean[d];
                sumSq[d] += c * c;
            }
        }
        double[] scores = new double[n];
        int count = 0;
        float[] mean = new float[dim];
        float[] scale = new float[dim];
        float[] zi = new float[dim];
        float[] zj = new float[dim];
        for (int i = 0; i < n; i++) {
            float[] xi = vectors.get(i).values();
            for (int d = 0; d < dim; d++) {
                double ci = xi[d] - fullMean[d];
                double m = -ci / (n - 1); // mean of the others, centred
                double var = Math.max(0, (sumSq[d] - ci * ci) / (n - 1) - m * m);
                double std = Math.sqrt(var);
                mean[d] = (float) (fullMean[d] + m);
                scale[d] = std < MIN_STD ? 1f : (float) std;
                zi[d] = (xi[d] - mean[d]) / scale[d];
            }
            double[] best = newBest(config.k());
            for (int j = 0; j < n; j++) {
                if (areNeighbours(vectors.get(i), vectors.get(j), gap)) {
                    continue;
                }
                float[] xj = vectors.get(j).values();
                for (int d = 0; d < dim; d++) {
                    zj[d] = (xj[d] - mean[d]) / scale[d];
                }
                insert(best, config.metric().distance(zi, zj));
            }
            if (Double.isFinite(best[0])) {
                scores[count++] = meanOfFinite(best);
            }
        }
        return Arrays.copyOf(scores, count);
    }

    private static int checkDimensions(List<EnrolmentVector> vectors) {
        if (vectors.isEmpty()) {
            throw new IllegalArgumentException("empty enrolment bank");
        }
        int dim = vectors.get(0).values().length;
        for (EnrolmentVector v : vectors) {
            if (v.values().length != dim) {
                throw new IllegalArgumentException("enrolment vectors differ in dimension: " + dim + " and "
                        + v.values().length + " (" + v.segment() + ")");
            }
        }
        return dim;
    }

    private static float[][] standardiseAll(List<EnrolmentVector> vectors, float[] mean, float[] scale) {
        float[][] out = new float[vectors.size()][];
        for (int i = 0; i < out.length; i++) {
            out[i] = standardise(vectors.get(i).values(), mean, scale);
        }
        return out;
    }

    private static float[] standardise(float[] v, float[] mean, float[] scale) {
        float[] z = new float[v.length];
        for (int d = 0; d < v.length; d++) {
            z[d] = (v[d] - mean[d]) / scale[d];
        }
        return z;
    }

    private static double[] newBest(int k) {
        double[] best = new double[k];
        Arrays.fill(best, Double.POSITIVE_INFINITY);
        return best;
    }

    /** Keeps the k smallest distances seen, ascending. */
    private static void insert(double[] best, double d) {
        int k = best.length;
        if (!(d < best[k - 1])) {
            return;
        }
        int i = k - 1;
        while (i > 0 && best[i - 1] > d) {
            best[i] = best[i - 1];
            i--;
        }
        best[i] = d;
    }

    /** Mean of the finite entries (fewer than k candidates: the ones there are). */
    private static double meanOfFinite(double[] best) {
        double sum = 0;
        int count = 0;
        for (double d : best) {
            if (Double.isFinite(d)) {
                sum += d;
                count++;
            }
        }
        return count == 0 ? Double.POSITIVE_INFINITY : sum / count;
    }
}
