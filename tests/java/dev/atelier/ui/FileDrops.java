package dev.atelier.ui;

import com.sun.javafx.scene.input.DragboardHelper;
import com.sun.javafx.tk.TKClipboard;
import java.io.File;
import java.security.AccessControlContext;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import javafx.event.Event;
import javafx.geometry.Bounds;
import javafx.geometry.Point2D;
import javafx.scene.Node;
import javafx.scene.image.Image;
import javafx.scene.input.DataFormat;
import javafx.scene.input.DragEvent;
import javafx.scene.input.Dragboard;
import javafx.scene.input.TransferMode;
import javafx.util.Pair;

/**
 * Synthetic drag and drop for headless tests (Monocle has no drag gestures): a dragboard holding files, and
 * DRAG_OVER then DRAG_DROPPED fired at the centre of a node, as the toolkit would deliver them.
 */
public final class FileDrops {
    private FileDrops() {
    }

    /** @return a dragboard whose content is {@code files} */
    public static Dragboard dragboardWith(List<File> files) {
        Map<DataFormat, Object> content = new HashMap<>();
        content.put(DataFormat.FILES, files);
        return DragboardHelper.createDragboard(new TKClipboard() {
            private Image view;

            @Override
            @SuppressWarnings("removal")
            public void setSecurityContext(AccessControlContext ctx) {
            }

            @Override
            public Set<DataFormat> getContentTypes() {
                return content.keySet();
            }

            @Override
            @SafeVarargs
            public final boolean putContent(Pair<DataFormat, Object>... pairs) {
                for (Pair<DataFormat, Object> p : pairs) {
                    content.put(p.getKey(), p.getValue());
                }
                return true;
            }

            @Override
            public Object getContent(DataFormat format) {
                return content.get(format);
            }

            @Override
            public boolean hasContent(DataFormat format) {
                return content.containsKey(format);
            }

            @Override
            public Set<TransferMode> getTransferModes() {
                return Set.of(TransferMode.COPY);
            }

            @Override
            public void setDragView(Image image) {
                view = image;
            }

            @Override
            public void setDragViewOffsetX(double offsetX) {
            }

            @Override
            public void setDragViewOffsetY(double offsetY) {
            }

            @Override
            public Image getDragView() {
                return view;
            }

            @Override
            public double getDragViewOffsetX() {
                return 0;
            }

            @Override
            public double getDragViewOffsetY() {
                return 0;
            }
        });
    }

    /**
     * Drags {@code file} over {@code target} and drops it there (call on the FX thread).
     *
     * @return true if the target reported the drop completed
     */
    public static boolean drop(Node target, File file) {
        Dragboard board = dragboardWith(List.of(file));
        Bounds b = target.getLayoutBounds();
        Point2D local = new Point2D(b.getCenterX(), b.getCenterY());
        Point2D scene = target.localToScene(local);
        Point2D screen = target.localToScreen(local);
        DragEvent over = new DragEvent(DragEvent.DRAG_OVER, board, scene.getX(), scene.getY(), screen.getX(),
                screen.getY(), TransferMode.COPY, null, target, null);
        Event.fireEvent(target, over);
        DragEvent dropped = new DragEvent(DragEvent.DRAG_DROPPED, board, scene.getX(), scene.getY(), screen.getX(),
                screen.getY(), TransferMode.COPY, null, target, null);
        Event.fireEvent(target, dropped);
        return dropped.isDropCompleted();
    }
}
