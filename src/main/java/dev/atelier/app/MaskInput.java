package dev.atelier.app;

import dev.atelier.AtelierException;
import dev.atelier.image.ImageFiles;
import java.nio.file.Path;
import java.util.Objects;

/**
 * An inpainting mask (true or white = regenerate, false or black = keep): a mask file, or flags painted in memory
 * (the studio's canvas). Either is stretched to the image's size with nearest neighbour, then cropped and brought
 * to the model's size as the image is.
 */
public sealed interface MaskInput {
    /**
     * @param imageWidth width of the image the mask belongs to
     * @param imageHeight its height
     * @param size the model's side S
     * @return S·S flags, true = regenerate
     */
    boolean[] toModel(int imageWidth, int imageHeight, int size);

    /** @return the file as given, for the PNG metadata; null for a painted mask */
    String path();

    /** @return the sha256 of the file, or of the painted flags, for the PNG metadata */
    String sha256();

    /** @return a mask read from {@code file} */
    static MaskInput of(Path file) {
        return new File(file);
    }

    /** @param file a mask image: white (≥ 128) = regenerate, black = keep */
    record File(Path file) implements MaskInput {
        /** @throws NullPointerException for a null path */
        public File {
            Objects.requireNonNull(file, "file");
        }

        @Override
        public boolean[] toModel(int imageWidth, int imageHeight, int size) {
            return ImageFiles.readMask(file, imageWidth, imageHeight, size);
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

    /**
     * @param regenerate width·height flags, row-major, true = regenerate
     * @param width the mask's width (any: it is stretched to the image)
     * @param height the mask's height
     */
    record Painted(boolean[] regenerate, int width, int height) implements MaskInput {
        /** @throws AtelierException (field {@code mask}) when the flags do not fill width × height */
        public Painted {
            Objects.requireNonNull(regenerate, "regenerate");
            if (width < 1 || height < 1 || regenerate.length != width * height) {
                throw AtelierException.field("mask", "The {mask} is " + width + "×" + height + " but holds "
                        + regenerate.length + " pixels. Paint the mask again.");
            }
            regenerate = regenerate.clone();
        }

        @Override
        public boolean[] toModel(int imageWidth, int imageHeight, int size) {
            return ImageFiles.mask(regenerate, width, height, imageWidth, imageHeight, size);
        }

        @Override
        public String path() {
            return null;
        }

        @Override
        public String sha256() {
            byte[] b = new byte[8 + regenerate.length];
            b[0] = (byte) (width >>> 24);
            b[1] = (byte) (width >>> 16);
            b[2] = (byte) (width >>> 8);
            b[3] = (byte) width;
            b[4] = (byte) (height >>> 24);
            b[5] = (byte) (height >>> 16);
            b[6] = (byte) (height >>> 8);
            b[7] = (byte) height;
            for (int i = 0; i < regenerate.length; i++) {
                b[8 + i] = (byte) (regenerate[i] ? 1 : 0);
            }
            return ImageInput.sha256(b);
        }
    }
}
