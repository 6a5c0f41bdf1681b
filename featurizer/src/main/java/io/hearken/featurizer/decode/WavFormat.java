package io.hearken.featurizer.decode;

/**
 * The parts of a WAV {@code fmt } chunk the decoder needs, already validated.
 *
 * @param encoding     integer PCM or IEEE float (WAVE_FORMAT_EXTENSIBLE resolved to its sub-format)
 * @param channels     1..8
 * @param sampleRate   8,000..192,000 Hz
 * @param bitsPerSample container bits per sample: 8/16/24/32 for PCM, 32/64 for float
 */
record WavFormat(Encoding encoding, int channels, int sampleRate, int bitsPerSample) {

    enum Encoding { PCM, FLOAT }

    int bytesPerSample() {
        return bitsPerSample / 8;
    }

    int blockAlign() {
        return channels * bytesPerSample();
    }
}
