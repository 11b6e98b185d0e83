import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.GradientPaint;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.geom.Ellipse2D;
import java.awt.geom.Path2D;
import java.awt.geom.Rectangle2D;
import java.awt.geom.RoundRectangle2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;
import javax.imageio.ImageIO;

/**
 * Draws Atelier's icon and writes it as PNG (every size), ICO (Windows) and ICNS (macOS).
 *
 * <p>The picture: an artist's easel (the A of Atelier) holding a canvas whose left side is still noise and
 * whose right side has become a landscape, read left to right as a consistency model's one step from noise
 * to image. Deterministic (fixed noise seed), so running it again gives the same files.
 *
 * <p>Run from the repository root: {@code java installer/icons/IconMaker.java installer/icons}
 */
public final class IconMaker {
    private static final int[] PNG_SIZES = {16, 24, 32, 48, 64, 128, 256, 512, 1024};
    private static final int[] ICO_SIZES = {16, 24, 32, 48, 64, 128, 256};

    private IconMaker() {
    }

    public static void main(String[] args) throws IOException {
        Path out = Path.of(args.length > 0 ? args[0] : "installer/icons");
        Files.createDirectories(out);
        Map<Integer, byte[]> png = new LinkedHashMap<>();
        for (int size : PNG_SIZES) {
            png.put(size, encode(draw(size)));
            Files.write(out.resolve("atelier-" + size + ".png"), png.get(size));
        }
        Files.write(out.resolve("atelier.png"), png.get(512));
        Files.write(out.resolve("atelier.ico"), ico(png));
        Files.write(out.resolve("atelier.icns"), icns(png));
        System.out.println("wrote " + out.toAbsolutePath() + "/atelier.{png,ico,icns} and atelier-N.png");
    }

    /** Draws the icon at {@code size}×{@code size} pixels; coordinates below are on a 1024 grid. */
    static BufferedImage draw(int size) {
        BufferedImage img = new BufferedImage(size, size, BufferedImage.TYPE_INT_ARGB);
        Graphics2D g = img.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        g.setRenderingHint(RenderingHints.KEY_STROKE_CONTROL, RenderingHints.VALUE_STROKE_PURE);
        g.setRenderingHint(RenderingHints.KEY_RENDERING, RenderingHints.VALUE_RENDER_QUALITY);
        g.scale(size / 1024.0, size / 1024.0);
        boolean tiny = size <= 32;

        // Tile: deep indigo to teal, with a soft top highlight.
        RoundRectangle2D tile = new RoundRectangle2D.Double(24, 24, 976, 976, 220, 220);
        g.setPaint(new GradientPaint(0, 24, new Color(0x2E1F66), 0, 1000, new Color(0x0F5E6E)));
        g.fill(tile);
        g.setPaint(new GradientPaint(0, 24, new Color(255, 255, 255, 46), 0, 420, new Color(255, 255, 255, 0)));
        g.fill(new RoundRectangle2D.Double(24, 24, 976, 420, 220, 220));

        // Easel: back leg, two front legs (an A), and the shelf the canvas rests on.
        Color wood = new Color(0xD79A55);
        Color woodDark = new Color(0x8A5528);
        float leg = tiny ? 64f : 46f;
        g.setStroke(new BasicStroke(leg, BasicStroke.CAP_ROUND, BasicStroke.JOIN_ROUND));
        g.setColor(woodDark);
        g.draw(line(512, 120, 512, 900));
        g.setColor(wood);
        g.draw(line(512, 110, 250, 915));
        g.draw(line(512, 110, 774, 915));
        g.setColor(woodDark);
        g.fill(new RoundRectangle2D.Double(196, 676, 632, tiny ? 70 : 54, 26, 26));
        g.setColor(wood);
        g.fill(new RoundRectangle2D.Double(196, 668, 632, tiny ? 58 : 42, 26, 26));

        // Canvas: a frame, then a grid of cells going from noise (left) to a landscape (right).
        double cx = 214;
        double cy = 214;
        double cw = 596;
        double ch = 454;
        g.setColor(new Color(0xF6EFE3));
        g.fill(new RoundRectangle2D.Double(cx - 22, cy - 22, cw + 44, ch + 44, 22, 22));
        int cols = tiny ? 6 : 16;
        int rows = tiny ? 5 : 12;
        Random noise = new Random(0x5EED_A7E1L);
        double w = cw / cols;
        double h = ch / rows;
        for (int r = 0; r < rows; r++) {
            for (int c = 0; c < cols; c++) {
                double u = (c + 0.5) / cols;
                double v = (r + 0.5) / rows;
                Color clean = landscape(u, v);
                Color rnd = new Color(noise.nextInt(256), noise.nextInt(256), noise.nextInt(256));
                double t = smooth((u - 0.18) / 0.5 + (noise.nextDouble() - 0.5) * 0.25);
                g.setColor(mix(rnd, clean, t));
                g.fill(new Rectangle2D.Double(cx + c * w, cy + r * h, w + 0.6, h + 0.6));
            }
        }
        // A thin shadow under the canvas top edge keeps it from floating.
        g.setColor(new Color(0, 0, 0, 40));
        g.fill(new Rectangle2D.Double(cx, cy, cw, 10));

        // A brush resting across the shelf, tip wet with the sun's colour (hidden at tiny sizes).
        if (!tiny) {
            g.setStroke(new BasicStroke(26f, BasicStroke.CAP_ROUND, BasicStroke.JOIN_ROUND));
            g.setColor(new Color(0x2B2B36));
            g.draw(line(650, 838, 880, 748));
            g.setColor(new Color(0xC9CED6));
            g.draw(line(620, 850, 655, 836));
            Path2D tip = new Path2D.Double();
            tip.moveTo(622, 836);
            tip.curveTo(590, 842, 560, 860, 548, 878);
            tip.curveTo(575, 874, 606, 870, 628, 862);
            tip.closePath();
            g.setColor(new Color(0xFFB23E));
            g.fill(tip);
        }
        g.dispose();
        return img;
    }

    /** The finished picture at (u, v) in [0,1]²: warm sky, a sun, two ranges of hills and a lake. */
    private static Color landscape(double u, double v) {
        double sunDx = u - 0.70;
        double sunDy = v - 0.33;
        if (sunDx * sunDx + sunDy * sunDy * 1.7 < 0.018) {
            return new Color(0xFFD25A);
        }
        double far = 0.55 - 0.12 * Math.sin(u * 5.0 + 0.6);
        double near = 0.70 - 0.10 * Math.cos(u * 4.0 - 0.4);
        if (v > 0.88) {
            return new Color(0x2F7FA8);
        }
        if (v > near) {
            return new Color(0x2E8B57);
        }
        if (v > far) {
            return new Color(0x5FB07A);
        }
        return mix(new Color(0xF59E7A), new Color(0xFFE3A3), Math.min(1, v / 0.55));
    }

    private static Path2D line(double x0, double y0, double x1, double y1) {
        Path2D p = new Path2D.Double();
        p.moveTo(x0, y0);
        p.lineTo(x1, y1);
        return p;
    }

    private static double smooth(double t) {
        double x = Math.max(0, Math.min(1, t));
        return x * x * (3 - 2 * x);
    }

    private static Color mix(Color a, Color b, double t) {
        return new Color((int) Math.round(a.getRed() + (b.getRed() - a.getRed()) * t),
                (int) Math.round(a.getGreen() + (b.getGreen() - a.getGreen()) * t),
                (int) Math.round(a.getBlue() + (b.getBlue() - a.getBlue()) * t));
    }

    private static byte[] encode(BufferedImage img) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        ImageIO.write(img, "png", bytes);
        return bytes.toByteArray();
    }

    /** ICO with PNG-compressed entries (Windows Vista and later): header, directory, images. */
    private static byte[] ico(Map<Integer, byte[]> png) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        int offset = 6 + 16 * ICO_SIZES.length;
        writeLe16(bytes, 0);
        writeLe16(bytes, 1);
        writeLe16(bytes, ICO_SIZES.length);
        for (int size : ICO_SIZES) {
            byte[] data = png.get(size);
            bytes.write(size >= 256 ? 0 : size);
            bytes.write(size >= 256 ? 0 : size);
            bytes.write(0);
            bytes.write(0);
            writeLe16(bytes, 1);
            writeLe16(bytes, 32);
            writeLe32(bytes, data.length);
            writeLe32(bytes, offset);
            offset += data.length;
        }
        for (int size : ICO_SIZES) {
            bytes.write(png.get(size));
        }
        return bytes.toByteArray();
    }

    /** ICNS with PNG entries: 'icns' + total length, then (type, length, PNG) for each size. */
    private static byte[] icns(Map<Integer, byte[]> png) throws IOException {
        Map<String, Integer> types = new LinkedHashMap<>();
        types.put("icp4", 16);
        types.put("icp5", 32);
        types.put("icp6", 64);
        types.put("ic07", 128);
        types.put("ic08", 256);
        types.put("ic09", 512);
        types.put("ic10", 1024);
        types.put("ic11", 32);
        types.put("ic12", 64);
        types.put("ic13", 256);
        types.put("ic14", 512);
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        DataOutputStream d = new DataOutputStream(body);
        for (Map.Entry<String, Integer> e : types.entrySet()) {
            byte[] data = png.get(e.getValue());
            d.writeBytes(e.getKey());
            d.writeInt(8 + data.length);
            d.write(data);
        }
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        DataOutputStream a = new DataOutputStream(all);
        a.writeBytes("icns");
        a.writeInt(8 + body.size());
        a.write(body.toByteArray());
        return all.toByteArray();
    }

    private static void writeLe16(ByteArrayOutputStream out, int v) {
        out.write(v & 0xFF);
        out.write((v >>> 8) & 0xFF);
    }

    private static void writeLe32(ByteArrayOutputStream out, int v) {
        writeLe16(out, v & 0xFFFF);
        writeLe16(out, v >>> 16);
    }
}
