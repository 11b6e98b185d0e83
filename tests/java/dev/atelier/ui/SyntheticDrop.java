package dev.atelier.ui;

import java.io.File;
import java.lang.reflect.Constructor;
import java.lang.reflect.Field;
import java.lang.reflect.Proxy;
import java.util.List;
import java.util.Map;
import java.util.Set;
import javafx.event.Event;
import javafx.geometry.Point2D;
import javafx.scene.Node;
import javafx.scene.input.DataFormat;
import javafx.scene.input.DragEvent;
import javafx.scene.input.Dragboard;
import javafx.scene.input.TransferMode;

/**
 * A drag-and-drop delivered as the scene delivers one (DRAG_OVER, then DRAG_DROPPED on the node under the
 * pointer), with a dragboard holding files: Monocle has no native drag source, so the dragboard is built on
 * a stand-in of the toolkit's clipboard peer. Shared by the panels' tests.
 */
public final class SyntheticDrop {
    private SyntheticDrop() {
    }

    public static Dragboard dragboard(Map<DataFormat, Object> content) throws Exception {
        Class<?> peerType = Class.forName("com.sun.javafx.tk.TKClipboard");
        Object peer = Proxy.newProxyInstance(peerType.getClassLoader(), new Class<?>[] {peerType}, (p, m, args) -> {
            switch (m.getName()) {
                case "getContentTypes":
                    return Set.copyOf(content.keySet());
                case "getContent":
                    return content.get(args[0]);
                case "hasContent":
                    return content.containsKey(args[0]);
                case "getTransferModes":
                    return Set.of(TransferMode.COPY);
                case "getDragViewOffsetX":
                case "getDragViewOffsetY":
                    return 0.0;
                case "putContent":
                    return false;
                default:
                    return null;
            }
        });
        Constructor<Dragboard> c = Dragboard.class.getDeclaredConstructor(peerType);
        c.setAccessible(true);
        Dragboard board = c.newInstance(peer);
        Field restricted = Dragboard.class.getDeclaredField("dataAccessRestricted");
        restricted.setAccessible(true);
        restricted.set(board, false);
        return board;
    }

    /** @return whether the target accepted the drag over it; then drops, and returns the drop's completion */
    public static boolean dropFiles(Node target, File... files) throws Exception {
        return drop(target, dragboard(Map.of(DataFormat.FILES, List.of(files))));
    }

    public static boolean drop(Node target, Dragboard board) {
        Point2D local = new Point2D(target.getLayoutBounds().getWidth() / 2, target.getLayoutBounds().getHeight() / 2);
        Point2D screen = target.localToScreen(local);
        DragEvent over = new DragEvent(null, target, DragEvent.DRAG_OVER, board, local.getX(), local.getY(),
                screen.getX(), screen.getY(), null, null, target, null);
        Event.fireEvent(target, over);
        DragEvent dropped = new DragEvent(null, target, DragEvent.DRAG_DROPPED, board, local.getX(), local.getY(),
                screen.getX(), screen.getY(), TransferMode.COPY, null, target, null);
        Event.fireEvent(target, dropped);
        return dropped.isDropCompleted();
    }
}
