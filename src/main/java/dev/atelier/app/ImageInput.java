package dev.atelier.app;

import dev.atelier.AtelierException;
import dev.atelier.image.ImageFiles;
import dev.atelier.base.ModelManifest;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Objects;

/** The input image of an edit: a file, or an image already in memory (dropped or pasted in the studio). */
public sealed interface ImageInput {
    /** @return the image, decoded */
    BufferedImage decode();

    /** @return the file as given, for the PNG metadata; null for an image in memory */
    String path();

    /** @return the sha256 of the file, or of the in-memory image's ARGB pixels, for the PNG metadata */
    String sha256();

    /** @return an input read from {@code file} */
    static ImageInput of(Path file) {
        return new File(file);
    }

    /** @return an input of an image already in memory */
    static ImageInput of(BufferedImage image) {
        return new Picture(image);
    }

    /** @param file the image file (PNG, JPEG, BMP, GIF) */
    record File(Path file) implements ImageInput {
        /** @throws NullPointerException for a null path */
        public File {
            Objects.requireNonNull(file, "file");
        }

        @Override
        public BufferedImage decode() {
            return ImageFiles.decode(file);
        }

        @Override
        public String path() {
            return file.toString();
        }

        @Override
        public String sha256() {
            return ImageInput.sha256(file);
        }
    }

    /** @param image an image in memory */
    record Picture(BufferedImage image) implements ImageInput {
        /** @throws NullPointerException for a null image */
        public Picture {
            Objects.requireNonNull(image, "image");
        }

        @Override
        public BufferedImage decode() {
            return image;
        }

        @Override
        public String path() {
            return null;
        }

        @Override
        public String sha256() {
            int w = image.getWidth();
            int h = image.getHeight();
            ByteBuffer b = ByteBuffer.allocate(8 + 4 * w * h);
            b.putInt(w).putInt(h);
            for (int v : image.getRGB(0, 0, w, h, null, 0, w)) {
                b.putInt(v);
            }
            return ImageInput.sha256(b.array());
        }
    }

    /** @return the hex sha256 of a file's bytes */
    static String sha256(Path file) {
        try {
            return ModelManifest.sha256(file);
        } catch (IOException e) {
            throw new AtelierException("The file " + file + " cannot be read (" + AtelierException.reason(e) + ").", e);
        }
    }

    /** @return the hex sha256 of {@code bytes} */
    static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
