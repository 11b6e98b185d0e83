package dev.atelier.image;

import java.awt.image.BufferedImage;
import java.awt.image.Raster;
import java.awt.image.WritableRaster;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The EXIF orientation of a JPEG (tag 0x0112, 1…8), which cameras and phones set instead of rotating the
 * pixels, and the transform that shows the image upright. Only the file's header segments are read.
 */
final class ExifOrientation {
    private ExifOrientation() {
    }

    /** @return the orientation 1…8, or 1 when the file has none or it cannot be read */
    static int of(Path jpeg) {
        try (InputStream raw = Files.newInputStream(jpeg); DataInputStream in = new DataInputStream(
                new java.io.BufferedInputStream(raw))) {
            if (in.readUnsignedShort() != 0xFFD8) {
                return 1;
            }
            while (true) {
                int marker = in.readUnsignedShort();
                if ((marker & 0xFF00) != 0xFF00 || marker == 0xFFDA || marker == 0xFFD9) {
                    return 1; // start of scan or end: no EXIF before the pixels
                }
                int length = in.readUnsignedShort() - 2;
                if (length < 0) {
                    return 1;
                }
                byte[] data = new byte[length];
                in.readFully(data);
                if (marker == 0xFFE1 && length > 14 && data[0] == 'E' && data[1] == 'x' && data[2] == 'i'
                        && data[3] == 'f' && data[4] == 0 && data[5] == 0) {
                    return fromTiff(data, 6);
                }
            }
        } catch (IOException | RuntimeException e) {
            return 1;
        }
    }

    /** @return the orientation in a PNG eXIf chunk's TIFF data, or 1 when there is none or it is damaged */
    static int ofTiff(byte[] tiff) {
        if (tiff == null || tiff.length < 8) {
            return 1;
        }
        try {
            return fromTiff(tiff, 0);
        } catch (RuntimeException e) {
            return 1;
        }
    }

    /** Reads tag 0x0112 from IFD0 of the TIFF structure at {@code base}. */
    private static int fromTiff(byte[] d, int base) {
        boolean little = d[base] == 'I';
        int ifd = base + (int) u32(d, base + 4, little);
        int entries = u16(d, ifd, little);
        for (int i = 0; i < entries; i++) {
            int e = ifd + 2 + 12 * i;
            if (u16(d, e, little) == 0x0112) {
                int v = u16(d, e + 8, little);
                return v >= 1 && v <= 8 ? v : 1;
            }
        }
        return 1;
    }

    private static int u16(byte[] d, int at, boolean little) {
        int a = d[at] & 0xff;
        int b = d[at + 1] & 0xff;
        return little ? a | b << 8 : a << 8 | b;
    }

    private static long u32(byte[] d, int at, boolean little) {
        long hi = u16(d, at, little);
        long lo = u16(d, at + 2, little);
        return little ? hi | lo << 16 : hi << 16 | lo;
    }

    /** @return {@code img} as it is meant to be shown under {@code orientation} (the same image for 1) */
    static BufferedImage upright(BufferedImage img, int orientation) {
        if (orientation <= 1 || orientation > 8) {
            return img;
        }
        int w = img.getWidth();
        int h = img.getHeight();
        boolean swap = orientation >= 5;
        WritableRaster out = img.getColorModel().createCompatibleWritableRaster(swap ? h : w, swap ? w : h);
        Raster src = img.getRaster();
        Object px = null;
        for (int sy = 0; sy < h; sy++) {
            for (int sx = 0; sx < w; sx++) {
                int dx;
                int dy;
                switch (orientation) {
                    case 2: dx = w - 1 - sx; dy = sy; break;
                    case 3: dx = w - 1 - sx; dy = h - 1 - sy; break;
                    case 4: dx = sx; dy = h - 1 - sy; break;
                    case 5: dx = sy; dy = sx; break;
                    case 6: dx = h - 1 - sy; dy = sx; break;
                    case 7: dx = h - 1 - sy; dy = w - 1 - sx; break;
                    default: dx = sy; dy = w - 1 - sx; break; // 8
                }
                px = src.getDataElements(sx, sy, px);
                out.setDataElements(dx, dy, px);
            }
        }
        return new BufferedImage(img.getColorModel(), out, img.isAlphaPremultiplied(), null);
    }
}
