package dev.atelier.ui.text;

import java.util.Locale;
import java.util.function.Consumer;
import javafx.collections.ListChangeListener;
import javafx.collections.ObservableList;
import javafx.geometry.Insets;
import javafx.geometry.Pos;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.control.ScrollPane;
import javafx.scene.control.Tooltip;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.Region;
import javafx.scene.layout.VBox;
import javafx.scene.text.Text;
import javafx.scene.text.TextFlow;

/**
 * The outputs of the last run, one card each (grouped by prompt): prompt and rank, a satisfied / not satisfied
 * badge, the score, Copy, and the text with every constraint's span highlighted in its chip's colour.
 */
final class ResultsView extends VBox {
    private final VBox cards = new VBox(8);

    /**
     * @param results the outputs, ordered by prompt then rank
     * @param prompts the prompt texts of the run (for the group headers)
     * @param copy puts one output's text on the clipboard
     */
    ResultsView(ObservableList<ResultItem> results, ObservableList<String> prompts, Consumer<ResultItem> copy) {
        setId("results");
        cards.setId("result-cards");
        cards.setPadding(new Insets(4));
        ScrollPane scroll = new ScrollPane(cards);
        scroll.setFitToWidth(true);
        VBox.setVgrow(scroll, Priority.ALWAYS);
        getChildren().add(scroll);
        Runnable redraw = () -> {
            cards.getChildren().clear();
            if (results.isEmpty()) {
                Label hint = new Label("Results appear here: each constraint's span in its chip's colour.");
                hint.getStyleClass().add("hint");
                hint.setWrapText(true);
                cards.getChildren().add(hint);
            }
            int last = -1;
            for (ResultItem r : results) {
                if (r.prompt() != last) {
                    last = r.prompt();
                    VBox group = new VBox(6);
                    group.getStyleClass().add("result-group");
                    group.setUserData(r.prompt());
                    Label h = new Label("Prompt " + (r.prompt() + 1) + (r.prompt() < prompts.size()
                            ? ": " + prompts.get(r.prompt()) : ""));
                    h.getStyleClass().add("result-prompt");
                    group.getChildren().add(h);
                    cards.getChildren().add(group);
                }
                ((VBox) cards.getChildren().get(cards.getChildren().size() - 1)).getChildren().add(card(r, copy));
            }
        };
        results.addListener((ListChangeListener<ResultItem>) c -> redraw.run());
        redraw.run();
    }

    private static VBox card(ResultItem r, Consumer<ResultItem> copy) {
        Label rank = new Label("#" + (r.rank() + 1));
        rank.getStyleClass().add("result-rank");
        Label badge = new Label(r.satisfied() ? "✔ satisfied" : "✖ not satisfied");
        badge.getStyleClass().addAll("badge", r.satisfied() ? "badge-ok" : "badge-bad");
        Label score = new Label("score " + (r.score() == Double.NEGATIVE_INFINITY ? "−∞"
                : String.format(Locale.ROOT, "%.4f", r.score())));
        score.getStyleClass().add("result-score");
        Region spacer = new Region();
        HBox.setHgrow(spacer, Priority.ALWAYS);
        Button copyButton = new Button("Copy");
        copyButton.getStyleClass().addAll("result-copy", "flat-button");
        copyButton.setTooltip(new Tooltip("Copy this text"));
        copyButton.setOnAction(e -> copy.accept(r));
        HBox header = new HBox(8, rank, badge, score, spacer, copyButton);
        header.setAlignment(Pos.CENTER_LEFT);

        TextFlow flow = new TextFlow();
        flow.getStyleClass().add("result-text");
        for (ResultItem.Segment s : r.segments()) {
            if (s.constraints().isEmpty()) {
                Text t = new Text(s.text());
                t.getStyleClass().add("result-plain");
                flow.getChildren().add(t);
            } else {
                // the space before a word stays plain text: the highlight starts at the word
                String text = s.text();
                int lead = 0;
                while (lead < text.length() - 1 && Character.isWhitespace(text.charAt(lead))) {
                    lead++;
                }
                if (lead > 0) {
                    Text space = new Text(text.substring(0, lead));
                    space.getStyleClass().add("result-plain");
                    flow.getChildren().add(space);
                }
                Label l = new Label(text.substring(lead));
                l.getStyleClass().addAll("hl", "c" + s.colour());
                l.setUserData(s);
                l.setTooltip(new Tooltip(s.label()));
                flow.getChildren().add(l);
            }
        }
        VBox card = new VBox(4, header, flow);
        card.getStyleClass().add("result-card");
        card.setUserData(r);
        return card;
    }
}
