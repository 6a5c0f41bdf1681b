package io.hearken.inference.engine;

/** One class of a prediction with its sigmoid probability. */
public record ScoredLabel(int index, String label, float probability) {
}
