package dev.atelier.ui.common;

import dev.atelier.consistency.GuidedModel;
import java.math.BigDecimal;
import java.math.RoundingMode;
import javafx.beans.binding.Bindings;
import javafx.beans.property.ObjectProperty;
import javafx.beans.value.ObservableBooleanValue;
import javafx.beans.value.ObservableNumberValue;
import javafx.beans.value.ObservableStringValue;
import javafx.scene.control.CheckBox;
import javafx.scene.control.Label;
import javafx.scene.control.Spinner;
import javafx.scene.control.SpinnerValueFactory;
import javafx.scene.control.Tooltip;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Region;
import javafx.util.StringConverter;

/**
 * The class-guidance control of the Sampling and Inpainting panels: a label (Alt+G), a spinner 0…10 in steps of
 * 0.1 that always shows the weight a run uses, and a "Default" box. The chosen weight is null while the default
 * applies (the model's, or the task's); picking a value leaves the default, ticking the box goes back. For a model
 * that cannot be guided (or a task without guidance) the spinner and box are disabled, show 0 and say why on hover.
 */
public final class GuidanceControl {
    /** What the control explains on hover while it is enabled. */
    public static final String EXPLANATION = "Class guidance w: pushes each image towards what is typical of its "
            + "class, f + w·(f(class) − f(no class)). 0 is off; a small w such as 0.3 gives clearer, more typical "
            + "images, a large one exaggerates them. A guided run costs about twice the compute.";

    /** The label, with its mnemonic (Alt+G) targeting the spinner. */
    public final Label label = new Label("_Guidance");
    /** The weight. */
    public final Spinner<Double> spinner;
    /** Ticked while the default weight applies. */
    public final CheckBox useDefault = new CheckBox();
    /** The spinner and the box side by side, carrying the tooltip (a disabled control shows none of its own). */
    public final HBox row;

    private boolean syncing;

    /**
     * @param idPrefix the panel's id prefix ("sampling", "inpaint"): ids {@code <prefix>-guidance},
     *     {@code <prefix>-guidance-default} and {@code <prefix>-guidance-label}
     * @param chosen the chosen weight, null for the default (read and written)
     * @param defaultWeight the weight that applies while {@code chosen} is null
     * @param available true when the weight applies to the next run
     * @param unavailableReason why it does not (shown on hover while disabled)
     */
    public GuidanceControl(String idPrefix, ObjectProperty<Double> chosen, ObservableNumberValue defaultWeight,
            ObservableBooleanValue available, ObservableStringValue unavailableReason) {
        SpinnerValueFactory.DoubleSpinnerValueFactory f = new SpinnerValueFactory.DoubleSpinnerValueFactory(0,
                GuidedModel.MAX_WEIGHT, 0, 0.1);
        f.setConverter(new StringConverter<>() {
            @Override
            public String toString(Double v) {
                return v == null ? "" : text(v);
            }

            @Override
            public Double fromString(String s) {
                try {
                    double v = Double.parseDouble(s.trim().replace(',', '.'));
                    return Double.isFinite(v) ? Math.max(0, Math.min(GuidedModel.MAX_WEIGHT, v)) : f.getValue();
                } catch (NumberFormatException e) {
                    return f.getValue(); // a typo keeps the weight
                }
            }
        });
        spinner = new Spinner<>(f);
        spinner.setId(idPrefix + "-guidance");
        spinner.setEditable(true);
        spinner.setPrefWidth(80);
        spinner.setMinWidth(Region.USE_PREF_SIZE);
        useDefault.setId(idPrefix + "-guidance-default");
        label.setId(idPrefix + "-guidance-label");
        useDefault.setMnemonicParsing(false);
        label.setMnemonicParsing(true);
        label.setLabelFor(spinner);
        label.setMinWidth(Region.USE_PREF_SIZE);
        row = new HBox(8, spinner, useDefault);
        row.setAlignment(javafx.geometry.Pos.CENTER_LEFT);

        Runnable show = () -> {
            double d = defaultWeight.doubleValue();
            boolean on = available.get();
            syncing = true;
            f.setValue(!on ? 0.0 : chosen.get() != null ? chosen.get() : d);
            syncing = false;
            useDefault.setSelected(chosen.get() == null);
            useDefault.setText("Default: " + text(on ? d : 0));
        };
        f.valueProperty().addListener((o, a, b) -> {
            if (!syncing && b != null) {
                chosen.set(b); // picking a weight leaves the default
            }
        });
        useDefault.setOnAction(e -> chosen.set(useDefault.isSelected() ? null : f.getValue()));
        chosen.addListener(o -> show.run());
        defaultWeight.addListener(o -> show.run());
        available.addListener(o -> show.run());
        show.run();

        spinner.disableProperty().bind(Bindings.not(available));
        useDefault.disableProperty().bind(spinner.disableProperty());
        Tooltip tip = new Tooltip();
        tip.setWrapText(true);
        tip.setMaxWidth(380);
        tip.textProperty().bind(Bindings.createStringBinding(() -> available.get() ? EXPLANATION + " The default ("
                + text(defaultWeight.doubleValue()) + ") comes from the model's manifest; tick Default to go back to it."
                : "Guidance is off: " + unavailableReason.get(), available, defaultWeight, unavailableReason));
        Tooltip.install(row, tip);
        label.setTooltip(tip);
    }

    /** @return a weight as the panels show it: up to three decimals, no trailing zeros ("0.3", "2", "1.25") */
    public static String text(double w) {
        return BigDecimal.valueOf(w).setScale(3, RoundingMode.HALF_EVEN).stripTrailingZeros().toPlainString();
    }

    /** @return " · guidance w" for a guided run, "" for none (as the command line reports it) */
    public static String suffix(double w) {
        return w > 0 ? " · guidance " + text(w) : "";
    }
}
