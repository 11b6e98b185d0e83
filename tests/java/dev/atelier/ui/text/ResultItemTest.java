package dev.atelier.ui.text;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.atelier.app.TextResult;
import dev.atelier.text.TextOutput;
import dev.atelier.text.constraint.ConstraintMatch;
import java.util.List;
import org.junit.jupiter.api.Test;

/** How the Text panel cuts an output into the pieces it shows. */
class ResultItemTest {
    /**
     * "The dog is fast <|endoftext|>" with the phrase "is fast" at tokens 2–4, as the service gives it (five
     * tokens, the last one end of text): the panel shows "The dog is fast", in two pieces, "The dog" and " is fast"
     * (the span), and keeps the tokens and the span as they are.
     */
    @Test
    void theShownTextEndsBeforeTheEndOfTextToken() {
        int[] tokens = {1, 2, 3, 4, 0};
        TextOutput o = new TextOutput(0, 0, tokens, 1, -0.5, true, List.of(new ConstraintMatch(0, 2, 4)));
        String text = "The dog is fast<|endoftext|>";
        int[] offsets = {0, 3, 7, 10, 15, 28};
        ResultItem item = TextPanelViewModel.item(new TextResult.Output(o, text, List.of("is fast"), offsets, 4),
                new int[] {7}, List.of("is fast"));
        assertEquals("The dog is fast", item.text());
        assertArrayEquals(tokens, item.tokens());
        assertEquals(List.of(new ResultItem.Span(0, 2, 4)), item.spans());
        assertEquals(2, item.segments().size());
        assertEquals("The dog", item.segments().get(0).text());
        assertEquals(List.of(), item.segments().get(0).constraints());
        assertEquals(-1, item.segments().get(0).colour());
        assertEquals(" is fast", item.segments().get(1).text());
        assertEquals(2, item.segments().get(1).start());
        assertEquals(4, item.segments().get(1).end());
        assertEquals(List.of(0), item.segments().get(1).constraints());
        assertEquals(7, item.segments().get(1).colour());
    }

    /** An output that ran to the length limit (no end-of-text token) is shown whole. */
    @Test
    void anOutputWithoutEndOfTextIsShownWhole() {
        int[] tokens = {1, 2, 3};
        TextOutput o = new TextOutput(0, 0, tokens, 1, -0.5, false, List.of());
        ResultItem item = TextPanelViewModel.item(new TextResult.Output(o, "The dog is", List.of(),
                new int[] {0, 3, 7, 10}, 3), new int[0], List.of());
        assertEquals("The dog is", item.text());
        assertEquals(1, item.segments().size());
        assertEquals("The dog is", item.segments().get(0).text());
    }
}
