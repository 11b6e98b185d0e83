package dev.atelier.ui.text;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.atelier.AtelierException;
import dev.atelier.base.AtomicFiles;
import dev.atelier.text.ConstraintSpec;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A constraint set on disk: the {@code --constraints} document {@code atelier text} reads (each prompt with the
 * constraints that apply to it, switched-off ones left out), plus a {@code "studio"} entry the command line
 * ignores that keeps the builder's layout (chip order, which prompt each applies to, switched-off chips), so a
 * saved set loads back identically. A document written by hand, without that entry, loads as one chip per
 * constraint: shared by every prompt when all prompts list the same constraints, else per prompt.
 */
public final class ConstraintSetFile {
    static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private ConstraintSetFile() {
    }

    /**
     * One chip.
     *
     * @param spec the constraint
     * @param prompt the prompt it applies to (0-based), or −1 for every prompt
     * @param enabled whether it is on
     */
    public record Chip(ConstraintSpec spec, int prompt, boolean enabled) {
    }

    /**
     * A constraint set with its prompts.
     *
     * @param prompts the prompts, one per line of the prompt editor
     * @param chips the builder's chips in order
     */
    public record Content(List<String> prompts, List<Chip> chips) {
        /** @return each prompt's constraints as they run: enabled chips for every prompt or for it, in chip order */
        public List<List<ConstraintSpec>> perPrompt() {
            List<List<ConstraintSpec>> out = new ArrayList<>();
            for (int i = 0; i < prompts.size(); i++) {
                List<ConstraintSpec> l = new ArrayList<>();
                for (Chip c : chips) {
                    if (c.enabled() && (c.prompt() < 0 || c.prompt() == i)) {
                        l.add(c.spec());
                    }
                }
                out.add(l);
            }
            return out;
        }
    }

    /** @return the document (prompts in the command-line form, then the studio layout) */
    public static ObjectNode toJson(Content content) {
        ObjectNode root = JSON.createObjectNode();
        ArrayNode prompts = root.putArray("prompts");
        List<List<ConstraintSpec>> per = content.perPrompt();
        for (int i = 0; i < content.prompts().size(); i++) {
            ObjectNode p = prompts.addObject();
            p.put("prompt", content.prompts().get(i));
            ArrayNode cs = p.putArray("constraints");
            per.get(i).forEach(s -> cs.add(s.toJson()));
        }
        root.putObject("studio").set("chips", chipsToJson(content.chips()));
        return root;
    }

    /** @return the chips as the studio entry (and the settings) keep them */
    public static ArrayNode chipsToJson(List<Chip> chips) {
        ArrayNode a = JSON.createArrayNode();
        for (Chip c : chips) {
            ObjectNode n = a.addObject();
            n.set("constraint", c.spec().toJson());
            n.put("prompt", c.prompt());
            n.put("on", c.enabled());
        }
        return a;
    }

    /**
     * @param chips a {@link #chipsToJson(List)} array
     * @param where where it came from, for messages
     * @return the chips
     */
    public static List<Chip> chipsFromJson(JsonNode chips, String where) {
        List<Chip> out = new ArrayList<>();
        if (chips == null || !chips.isArray()) {
            throw new AtelierException("In " + where + ": the studio chips must be a list.");
        }
        for (JsonNode n : chips) {
            String at = where + ", chip " + (out.size() + 1);
            ConstraintSpec spec = ConstraintSpec.fromJson(n.path("constraint"), at);
            out.add(new Chip(spec, n.path("prompt").asInt(-1), n.path("on").asBoolean(true)));
        }
        return out;
    }

    /**
     * Writes a constraint set atomically.
     *
     * @throws AtelierException if there is no prompt or the file cannot be written
     */
    public static void write(Path file, Content content) {
        if (content.prompts().isEmpty()) {
            throw new AtelierException("There is no prompt to save. A constraint set file holds the prompts with "
                    + "their constraints: type at least one prompt first.");
        }
        try {
            AtomicFiles.write(file, (JSON.writeValueAsString(toJson(content)) + "\n").getBytes(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new AtelierException("Cannot write the constraint set to " + file + " (" + e.getMessage() + "). "
                    + "Choose a folder you can write to.", e);
        }
    }

    /**
     * Reads a constraint set: the prompts through the command line's own parser, the chips from the studio entry
     * when it agrees with them, else one chip per constraint.
     *
     * @throws AtelierException naming the file and what is wrong
     */
    public static Content read(Path file) {
        JsonNode root = ConstraintSpec.readDocument(file);
        List<ConstraintSpec.PromptSpec> parsed = ConstraintSpec.parse(root, file.toString());
        List<String> prompts = new ArrayList<>();
        for (ConstraintSpec.PromptSpec p : parsed) {
            if (p.prompt().contains("\n")) {
                throw new AtelierException("In " + file + ": a prompt contains a line break. The studio takes one "
                        + "prompt per line; remove the line break.");
            }
            prompts.add(p.prompt());
        }
        JsonNode studio = root.path("studio").path("chips");
        if (!studio.isMissingNode()) {
            Content c = new Content(prompts, chipsFromJson(studio, file.toString()));
            List<List<ConstraintSpec>> expected = new ArrayList<>();
            parsed.forEach(p -> expected.add(p.constraints()));
            if (c.perPrompt().equals(expected)) {
                return c;
            }
        }
        return new Content(prompts, derive(parsed));
    }

    private static List<Chip> derive(List<ConstraintSpec.PromptSpec> parsed) {
        List<Chip> chips = new ArrayList<>();
        boolean shared = parsed.stream().allMatch(p -> p.constraints().equals(parsed.get(0).constraints()));
        if (shared) {
            parsed.get(0).constraints().forEach(s -> chips.add(new Chip(s, -1, true)));
            return chips;
        }
        for (int i = 0; i < parsed.size(); i++) {
            for (ConstraintSpec s : parsed.get(i).constraints()) {
                chips.add(new Chip(s, i, true));
            }
        }
        return chips;
    }
}
