package io.hearken.featurizer;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

/** Builds small WAV files in memory for decoder tests. */
public final class TestWavs {
    private TestWavs() {}

    public static final int PCM = 1;
    public static final int FLOAT = 3;

    /** fmt chunk payload: plain (16 bytes) or WAVE_FORMAT_EXTENSIBLE (40 bytes) with the given sub-format. */
    public static byte[] fmt(int code, boolean extensible, int channels, int rate, int bits) {
        ByteBuffer b = ByteBuffer.allocate(extensible ? 40 : 16).order(ByteOrder.LITTLE_ENDIAN);
        b.putShort((short) (extensible ? 0xFFFE : code));
        b.putShort((short) channels);
        b.putInt(rate);
        b.putInt(rate * channels * bits / 8);
        b.putShort((short) (channels * bits / 8));
        b.putShort((short) bits);
        if (extensible) {
            b.putShort((short) 22);
            b.putShort((short) bits);
            b.putInt(channels == 2 ? 3 : 4);
            b.putShort((short) code);
            b.put(new byte[] {0x00, 0x00, 0x00, 0x00, 0x10, 0x00, (byte) 0x80, 0x00, 0x00, (byte) 0xAA, 0x00, 0x38,
                (byte) 0x9B, 0x71});
        }
        return b.array();
    }

    public static byte[] chunk(String id, byte[] payload) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(id.getBytes(StandardCharsets.ISO_8859_1));
        out.writeBytes(le32(payload.length));
        out.writeBytes(payload);
        if ((payload.length & 1) != 0) {
            out.write(0); // RIFF pad byte
        }
        return out.toByteArray();
    }

    public static byte[] riff(byte[]... chunks) {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        body.writeBytes("WAVE".getBytes(StandardCharsets.ISO_8859_1));
        for (byte[] c : chunks) {
            body.writeBytes(c);
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes("RIFF".getBytes(StandardCharsets.ISO_8859_1));
        out.writeBytes(le32(body.size()));
        out.writeBytes(body.toByteArray());
        return out.toByteArray();
    }

    public static byte[] wav(int code, boolean extensible, int channels, int rate, int bits, byte[] data) {
        return riff(chunk("fmt ", fmt(code, extensible, channels, rate, bits)), chunk("data", data));
    }

    public static byte[] le32(int v) {
        return new byte[] {(byte) v, (byte) (v >> 8), (byte) (v >> 16), (byte) (v >> 24)};
    }

    public static void putLe32(byte[] b, int at, long v) {
        b[at] = (byte) v;
        b[at + 1] = (byte) (v >> 8);
        b[at + 2] = (byte) (v >> 16);
        b[at + 3] = (byte) (v >> 24);
    }

    public static void putLe16(byte[] b, int at, int v) {
        b[at] = (byte) v;
        b[at + 1] = (byte) (v >> 8);
    }
}
