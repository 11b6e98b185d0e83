package dev.atelier.ui.common;

import dev.atelier.image.PngImages;
import java.io.File;
import java.nio.file.Path;
import javafx.scene.image.Image;
import javafx.scene.input.Clipboard;
import javafx.scene.input.ClipboardContent;
import javafx.stage.FileChooser;
import javafx.stage.Window;

/** What panels do with a result image: save it as a PNG with its parameters, copy it to the clipboard. */
public final class ImageActions {
    private ImageActions() {
    }

    /**
     * Writes {@code img} as a PNG with the generation parameters in its {@code atelier} text chunk, atomically.
     *
     * @param parameters the request's JSON, or null
     * @throws dev.atelier.AtelierException naming the file and the fix when it cannot be written
     */
    public static void savePng(Image img, String parameters, Path file) {
        PngImages.write(file, PixelImages.toAwt(img), parameters);
    }

    /** Puts the image on the system clipboard. */
    public static void copy(Image img) {
        ClipboardContent content = new ClipboardContent();
        content.putImage(img);
        Clipboard.getSystemClipboard().setContent(content);
    }

    /**
     * Asks where to save a PNG.
     *
     * @return the chosen file (".png" added when missing), or null if the user cancelled
     */
    public static Path askPngFile(Window owner, String suggestedName) {
        FileChooser chooser = new FileChooser();
        chooser.setTitle("Save PNG");
        chooser.getExtensionFilters().add(new FileChooser.ExtensionFilter("PNG image", "*.png"));
        chooser.setInitialFileName(suggestedName);
        File f = chooser.showSaveDialog(owner);
        if (f == null) {
            return null;
        }
        return f.getName().toLowerCase(java.util.Locale.ROOT).endsWith(".png") ? f.toPath()
                : f.toPath().resolveSibling(f.getName() + ".png");
    }
}
