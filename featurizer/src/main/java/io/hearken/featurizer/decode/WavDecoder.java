package io.hearken.featurizer.decode;

import io.hearken.error.HearkenException;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/**
 * Decodes RIFF/WAVE files: integer PCM 8 (unsigned), 16, 24 and 32 bit, IEEE float 32 and 64 bit, plain or
 * WAVE_FORMAT_EXTENSIBLE, 1..8 channels, 8,000..192,000 Hz. Unknown chunks (LIST, fact, ...) are skipped,
 * including the RIFF pad byte after odd-sized chunks.
 *
 * <p>Strict by design: anything malformed (missing or damaged header, unsupported format, a data chunk that is
 * shorter than its header declares, non-finite float samples) is a {@link HearkenException} of kind BAD_INPUT
 * whose message starts with the source name and says at which byte it went wrong. No other exception escapes
 * for any byte input, and nothing is allocated beyond what the input's actual length supports, so a lying header
 * cannot make the decoder allocate gigabytes.
 */
public final class WavDecoder {
    private static final int WAVE_FORMAT_PCM = 0x0001;
    private static final int WAVE_FORMAT_IEEE_FLOAT = 0x0003;
    private static final int WAVE_FORMAT_EXTENSIBLE = 0xFFFE;
    /** Bytes 2..15 of the KSDATAFORMAT_SUBTYPE_* GUIDs (the first two bytes carry the format code). */
    private static final byte[] GUID_TAIL = {
        0x00, 0x00, 0x00, 0x00, 0x10, 0x00, (byte) 0x80, 0x00, 0x00, (byte) 0xAA, 0x00, 0x38, (byte) 0x9B, 0x71};

    static final int MIN_RATE = 8_000;
    static final int MAX_RATE = 192_000;
    static final int MAX_CHANNELS = 8;

    private WavDecoder() {}

    /** Reads and decodes a file; the file name is the source named in errors. */
    public static DecodedAudio decode(Path file) {
        if (file == null) {
            throw HearkenException.badInput("WavDecoder: file must not be null");
        }
        Path name = file.getFileName();
        String source = name == null ? file.toString() : name.toString();
        byte[] bytes;
        try {
            long size = Files.size(file);
            if (size > Integer.MAX_VALUE - 16) {
                throw HearkenException.badInput(source + ": file too large for a WAV decoder (" + size + " bytes)");
            }
            bytes = Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            throw HearkenException.badInput(source + ": no such file", e);
        } catch (IOException e) {
            throw HearkenException.badInput(source + ": cannot read file (" + e + ")", e);
        }
        return decode(bytes, source);
    }

    /** Decodes WAV bytes; {@code sourceName} (a file name, a stream id) starts every error message. */
    public static DecodedAudio decode(byte[] bytes, String sourceName) {
        String src = sourceName == null || sourceName.isEmpty() ? "<unnamed>" : sourceName;
        if (bytes == null) {
            throw HearkenException.badInput(src + ": no bytes (null)");
        }
        try {
            return new Parser(bytes, src).parse();
        } catch (HearkenException e) {
            throw e;
        } catch (RuntimeException e) {
            // Defensive: a parser bug must still surface as bad input naming the source, never as an NPE/IOOBE.
            throw HearkenException.badInput(src + ": malformed WAV (" + e + ")", e);
        }
    }

    /** One-shot parser over a byte array; all offsets are absolute byte positions in the input. */
    private static final class Parser {
        private final byte[] b;
        private final String src;

        Parser(byte[] bytes, String src) {
            this.b = bytes;
            this.src = src;
        }

        DecodedAudio parse() {
            if (b.length < 4 || !fourCc(0).equals("RIFF")) {
                if (b.length >= 4 && (fourCc(0).equals("RIFX") || fourCc(0).equals("RF64"))) {
                    throw fail("unsupported container " + fourCc(0) + " (only little-endian RIFF is supported) at byte 0");
                }
                throw fail("not a WAV file (no RIFF header at byte 0)");
            }
            if (b.length < 12) {
                throw fail("truncated RIFF header: need 12 bytes at byte 0 but only " + b.length + " remain");
            }
            if (!fourCc(8).equals("WAVE")) {
                throw fail("not a WAV file (RIFF form type is '" + printable(8) + "', not 'WAVE', at byte 8)");
            }
            // The RIFF size field is ignored on purpose: streamed writers often leave it 0 or wrong, and the chunk
            // walk below bounds every read by the real input length anyway.
            WavFormat fmt = null;
            int pos = 12;
            while (true) {
                int remaining = b.length - pos;
                if (remaining < 8) {
                    if (fmt == null) {
                        throw fail("no fmt chunk found before the end of input at byte " + pos);
                    }
                    throw fail("no data chunk found before the end of input at byte " + pos);
                }
                String id = fourCc(pos);
                long size = u32(pos + 4);
                int payload = pos + 8;
                long available = b.length - payload;
                if (id.equals("data")) {
                    if (fmt == null) {
                        throw fail("data chunk at byte " + pos + " comes before any fmt chunk");
                    }
                    if (size > available) {
                        throw fail("truncated data chunk: header declares " + size + " bytes at byte " + payload
                                + " but only " + available + " remain");
                    }
                    return samples(fmt, payload, (int) size);
                }
                if (size > available) {
                    throw fail("truncated '" + printable(pos) + "' chunk: header declares " + size + " bytes at byte "
                            + payload + " but only " + available + " remain");
                }
                if (id.equals("fmt ")) {
                    if (fmt != null) {
                        throw fail("second fmt chunk at byte " + pos);
                    }
                    fmt = format(payload, (int) size);
                }
                long next = payload + size + (size & 1); // RIFF pads odd-sized chunks to an even length
                if (next > b.length) {
                    // Only the pad byte of the last chunk is missing: nothing follows, so no data chunk either.
                    throw fail("no data chunk found before the end of input at byte " + b.length);
                }
                pos = (int) next;
            }
        }

        private WavFormat format(int p, int size) {
            if (size < 16) {
                throw fail("fmt chunk too short: " + size + " bytes at byte " + p + " (need at least 16)");
            }
            int tag = u16(p);
            int channels = u16(p + 2);
            long rate = u32(p + 4);
            int blockAlign = u16(p + 12);
            int bits = u16(p + 14);
            int code = tag;
            if (tag == WAVE_FORMAT_EXTENSIBLE) {
                if (size < 40) {
                    throw fail("WAVE_FORMAT_EXTENSIBLE fmt chunk too short: " + size + " bytes at byte " + p
                            + " (need 40)");
                }
                int cbSize = u16(p + 16);
                if (cbSize < 22) {
                    throw fail("WAVE_FORMAT_EXTENSIBLE cbSize " + cbSize + " at byte " + (p + 16) + " (need >= 22)");
                }
                int validBits = u16(p + 18);
                if (validBits > bits) {
                    throw fail("valid bits per sample " + validBits + " exceed container size " + bits
                            + " at byte " + (p + 18));
                }
                int guid = p + 24;
                code = u16(guid);
                for (int i = 0; i < GUID_TAIL.length; i++) {
                    if (b[guid + 2 + i] != GUID_TAIL[i]) {
                        throw fail("unsupported WAVE_FORMAT_EXTENSIBLE sub-format GUID at byte " + guid);
                    }
                }
                if (code != WAVE_FORMAT_PCM && code != WAVE_FORMAT_IEEE_FLOAT) {
                    throw fail("unsupported WAVE_FORMAT_EXTENSIBLE sub-format 0x" + Integer.toHexString(code)
                            + " at byte " + guid + " (only PCM and IEEE float are supported)");
                }
            }
            WavFormat.Encoding enc;
            if (code == WAVE_FORMAT_PCM) {
                enc = WavFormat.Encoding.PCM;
                if (bits != 8 && bits != 16 && bits != 24 && bits != 32) {
                    throw fail("unsupported PCM bits per sample " + bits + " at byte " + (p + 14)
                            + " (supported: 8, 16, 24, 32)");
                }
            } else if (code == WAVE_FORMAT_IEEE_FLOAT) {
                enc = WavFormat.Encoding.FLOAT;
                if (bits != 32 && bits != 64) {
                    throw fail("unsupported float bits per sample " + bits + " at byte " + (p + 14)
                            + " (supported: 32, 64)");
                }
            } else {
                throw fail("unsupported WAV format tag 0x" + Integer.toHexString(tag) + " at byte " + p
                        + " (supported: PCM, IEEE float, WAVE_FORMAT_EXTENSIBLE)");
            }
            if (channels < 1 || channels > MAX_CHANNELS) {
                throw fail("unsupported channel count " + channels + " at byte " + (p + 2) + " (supported: 1.."
                        + MAX_CHANNELS + ")");
            }
            if (rate < MIN_RATE || rate > MAX_RATE) {
                throw fail("unsupported sample rate " + rate + " Hz at byte " + (p + 4) + " (supported: " + MIN_RATE
                        + ".." + MAX_RATE + ")");
            }
            WavFormat f = new WavFormat(enc, channels, (int) rate, bits);
            if (blockAlign != f.blockAlign()) {
                throw fail("block align " + blockAlign + " at byte " + (p + 12) + " does not match " + channels
                        + " channels x " + bits + " bits (expected " + f.blockAlign() + ")");
            }
            return f;
        }

        private DecodedAudio samples(WavFormat f, int p, int size) {
            int block = f.blockAlign();
            if (size % block != 0) {
                throw fail("data chunk of " + size + " bytes at byte " + p + " is not a whole number of "
                        + block + "-byte frames (truncated last frame)");
            }
            int n = size / f.bytesPerSample(); // <= size <= input length: bounded by the real input
            float[] out = new float[n];
            switch (f.encoding()) {
                case PCM -> {
                    switch (f.bitsPerSample()) {
                        case 8 -> {
                            for (int i = 0; i < n; i++) {
                                out[i] = ((b[p + i] & 0xFF) - 128) * (1f / 128f);
                            }
                        }
                        case 16 -> {
                            for (int i = 0, j = p; i < n; i++, j += 2) {
                                out[i] = (short) ((b[j] & 0xFF) | (b[j + 1] << 8)) * (1f / 32768f);
                            }
                        }
                        case 24 -> {
                            for (int i = 0, j = p; i < n; i++, j += 3) {
                                int v = (b[j] & 0xFF) | ((b[j + 1] & 0xFF) << 8) | (b[j + 2] << 16);
                                out[i] = v * (1f / 8388608f);
                            }
                        }
                        default -> {
                            // int32 / 2^31 rounds to 1.0f for the top 64 codes; clamp to keep the range [-1, 1).
                            float max = Math.nextDown(1f);
                            for (int i = 0, j = p; i < n; i++, j += 4) {
                                out[i] = Math.min(max, (float) (s32(j) * (1.0 / 2147483648.0)));
                            }
                        }
                    }
                }
                case FLOAT -> {
                    if (f.bitsPerSample() == 32) {
                        for (int i = 0, j = p; i < n; i++, j += 4) {
                            float v = Float.intBitsToFloat(s32(j));
                            if (!Float.isFinite(v)) {
                                throw fail("non-finite float sample (" + v + ") at byte " + j);
                            }
                            out[i] = v;
                        }
                    } else {
                        for (int i = 0, j = p; i < n; i++, j += 8) {
                            double v = Double.longBitsToDouble((s32(j) & 0xFFFFFFFFL) | ((long) s32(j + 4) << 32));
                            float fv = (float) v;
                            if (!Float.isFinite(fv)) {
                                throw fail("non-finite or out-of-range float sample (" + v + ") at byte " + j);
                            }
                            out[i] = fv;
                        }
                    }
                }
            }
            return new DecodedAudio(f.sampleRate(), f.channels(), out);
        }

        private HearkenException fail(String what) {
            return HearkenException.badInput(src + ": " + what);
        }

        private int u16(int p) {
            return (b[p] & 0xFF) | ((b[p + 1] & 0xFF) << 8);
        }

        private int s32(int p) {
            return (b[p] & 0xFF) | ((b[p + 1] & 0xFF) << 8) | ((b[p + 2] & 0xFF) << 16) | (b[p + 3] << 24);
        }

        private long u32(int p) {
            return s32(p) & 0xFFFFFFFFL;
        }

        private String fourCc(int p) {
            return new String(b, p, 4, java.nio.charset.StandardCharsets.ISO_8859_1);
        }

        /** The four-character code at p with anything unprintable escaped, safe to put in a log line. */
        private String printable(int p) {
            StringBuilder sb = new StringBuilder(4);
            for (int i = p; i < p + 4; i++) {
                int c = b[i] & 0xFF;
                if (c >= 0x20 && c < 0x7F) {
                    sb.append((char) c);
                } else {
                    sb.append(String.format("\\x%02x", c));
                }
            }
            return sb.toString();
        }
    }
}
