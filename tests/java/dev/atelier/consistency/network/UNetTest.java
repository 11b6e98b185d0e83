package dev.atelier.consistency.network;

import ai.djl.Device;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.atelier.AtelierException;
import dev.atelier.consistency.Parameterization;
import dev.atelier.base.ModelManifest;
import dev.atelier.train.RandomStream;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The UNet consistency model: boundary condition, MAC count, save/load round trip. */
class UNetTest {
    @Test
    void boundaryConditionHoldsExactlyAtEpsilon() {
        UNetConfig cfg = new UNetConfig(8, 1, 8, new int[] {1, 2}, 1, true, 3);
        try (UNetConsistencyModel m = UNetConsistencyModel.random(cfg, Parameterization.DEFAULT, 1, Device.cpu())) {
            // give the zero-initialised output layers weights so F ≠ 0
            float[] x = new float[2 * 64];
            RandomStream r = new RandomStream(2);
            r.fillGaussian(x);
            float eps = (float) Parameterization.DEFAULT.sigmaMin();
            assertArrayEquals(x, m.denoise(x, new float[] {eps, eps}, new int[] {0, -1}));
        }
    }

    @Test
    void macCountMatchesHandCount() {
        // size 4, 1 channel, base 8, one level, one block, no attention, no classes; E = 32, Fourier width 8
        UNetConfig cfg = new UNetConfig(4, 1, 8, new int[] {1}, 1, false, 0);
        try (UNetConsistencyModel m = UNetConsistencyModel.random(cfg, Parameterization.DEFAULT, 1, Device.cpu())) {
            long emb = 8 * 32 + 32 * 32;
            long convIn = 16 * 8 * 1 * 9;
            long res88 = 16 * 8 * 8 * 9 * 2 + 32 * 8;
            long up = 16 * 8 * 16 * 9 + 16 * 8 * 8 * 9 + 32 * 8 + 16 * 8 * 16;
            long out = 16 * 1 * 8 * 9;
            long total = emb + convIn + 3 * res88 + up + out;
            assertEquals(total / 1e9, m.network().gmacPerImage(), 1e-15);
            // parameters: emb 8·32+32 + 32·32+32; conv_in 8·9+8; three 8→8 blocks; one 16→8 block with skip; out
            long res = (2 * 8) + (8 * 8 * 9 + 8) + (32 * 8 + 8) + (2 * 8) + (8 * 8 * 9 + 8);
            long resUp = (2 * 16) + (8 * 16 * 9 + 8) + (32 * 8 + 8) + (2 * 8) + (8 * 8 * 9 + 8) + (8 * 16 + 8);
            long params = (8 * 32 + 32) + (32 * 32 + 32) + (8 * 9 + 8) + 3 * res + resUp + 2 * 8 + (8 * 9 + 1);
            assertEquals(params, m.network().parameterCount());
        }
    }

    @Test
    void savedModelDirectoryLoadsWithIdenticalOutputs(@TempDir Path tmp) throws Exception {
        UNetConfig cfg = new UNetConfig(8, 1, 8, new int[] {1, 2}, 1, true, 3);
        float[] x = new float[3 * 64];
        new RandomStream(4).fillGaussian(x);
        float[] sigma = {80f, 1f, 0.1f};
        int[] y = {2, 0, -1};
        float[] before;
        try (UNetConsistencyModel m = UNetConsistencyModel.random(cfg, Parameterization.DEFAULT, 9, Device.cpu())) {
            before = m.denoise(x, sigma, y);
            ModelManifest manifest = new ModelManifest();
            manifest.name = "test";
            manifest.c_noise = "ln(sigma)/4";
            manifest.scalings_inside = false;
            UNetConsistencyModel.save(tmp, m.network(), manifest);
        }
        try (UNetConsistencyModel m = UNetConsistencyModel.load(tmp, Device.cpu())) {
            assertArrayEquals(before, m.denoise(x, sigma, y));
            assertEquals(3, m.numClasses());
        }
        ModelManifest read = ModelManifest.read(tmp);
        assertEquals(ModelManifest.sha256(tmp.resolve(read.weights)), read.sha256);
        read.architecture.put("base", 16);
        read.write(tmp);
        assertThrows(AtelierException.class, () -> UNetConsistencyModel.load(tmp, Device.cpu()));
    }
}
