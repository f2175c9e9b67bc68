package dev.rear.provider.tar;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class ArchiveOutputTest {

    @Test
    void passesEveryByteOnInOrderAndClosesTheStreamBelow() throws IOException {
        byte[] data = new byte[ArchiveOutput.CHUNK * (ArchiveOutput.CHUNKS + 3) + 12345];
        new SplittableRandom(7).nextBytes(data);
        boolean[] closed = {false};
        ByteArrayOutputStream sink = new ByteArrayOutputStream() {
            @Override
            public void close() {
                closed[0] = true;
            }
        };
        try (ArchiveOutput out = new ArchiveOutput(sink)) {
            int i = 0;
            SplittableRandom r = new SplittableRandom(8);
            while (i < data.length) { // writes of every size, single bytes too, across chunk boundaries
                int n = Math.min(data.length - i, r.nextInt(3) == 0 ? 1 : r.nextInt(700_000));
                if (n == 1) {
                    out.write(data[i]);
                } else {
                    out.write(data, i, n);
                }
                i += n;
            }
        }
        assertTrue(closed[0]);
        assertArrayEquals(data, sink.toByteArray());
    }

    @Test
    void aFailureOfTheWriterThreadIsThrownToTheProducerWithItsMessage() {
        OutputStream full = new OutputStream() {
            @Override
            public void write(int b) throws IOException {
                throw new IOException("No space left on device");
            }

            @Override
            public void write(byte[] b, int off, int len) throws IOException {
                throw new IOException("No space left on device");
            }
        };
        IOException e = assertThrows(IOException.class, () -> {
            try (ArchiveOutput out = new ArchiveOutput(full)) {
                byte[] chunk = new byte[ArchiveOutput.CHUNK];
                for (int i = 0; i < 10 * ArchiveOutput.CHUNKS; i++) { // far more than is in flight: must not block
                    out.write(chunk);
                }
            }
        });
        assertEquals("No space left on device", e.getMessage());
    }
}
