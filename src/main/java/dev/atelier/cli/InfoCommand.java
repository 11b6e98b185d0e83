package dev.atelier.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.atelier.app.Services;
import dev.atelier.consistency.network.UNetConfig;
import dev.atelier.consistency.network.UNetConsistencyModel;
import dev.atelier.base.Engines;
import dev.atelier.base.ModelLocator;
import dev.atelier.base.ModelManifest;
import dev.atelier.runtime.JobKind;
import dev.atelier.runtime.JobOwner;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code atelier info}: engine, PyTorch version, devices, threads and the shipped models. */
@Command(name = "info", mixinStandardHelpOptions = true,
        description = "Print the engine, PyTorch version, devices, threads and the models found in assets/.")
public final class InfoCommand implements Callable<Integer> {
    @Mixin
    CommonOptions common;

    @Option(names = "--json", description = "Print one JSON document on stdout.")
    boolean json;

    @Option(names = "--model", description = "Also describe one model: kind, parameter count and GMAC per forward "
            + "pass of one image (counted on the network for Atelier's own UNet models).")
    String model;

    /** What the lane found out: the engine and, if asked, the model. */
    private record Facts(Engines.Info info, ObjectNode described) {
    }

    @Override
    public Integer call() throws Exception {
        Facts facts;
        try (Services services = common.services()) {
            // the engine start and the model's load run on the inference lane, like every model job
            facts = services.lane().run(JobOwner.CLI, JobKind.INFO, ctx -> {
                ai.djl.Device device = services.engine().apply();
                return new Facts(Engines.info(device), model == null ? null
                        : describe(ModelLocator.resolve(model), device));
            }, null);
        }
        Engines.Info info = facts.info();
        ObjectNode described = facts.described();
        Path models = ModelLocator.modelsDir();
        ObjectNode out = ModelManifest.JSON.createObjectNode();
        out.put("engine", info.engine());
        out.put("pytorch", info.version());
        out.put("device", info.device());
        out.put("gpus", info.gpus());
        out.put("threads", info.threads());
        out.put("java", System.getProperty("java.version"));
        out.put("assets", models == null ? null : models.getParent().toString());
        ArrayNode list = out.putArray("models");
        for (String name : ModelLocator.shippedNames()) {
            ModelManifest m = ModelManifest.read(models.resolve(name));
            ObjectNode n = list.addObject();
            n.put("name", name);
            n.put("kind", m.kind);
            n.put("title", m.name);
        }
        if (described != null) {
            out.set("model", described);
        }
        if (json) {
            System.out.println(ModelManifest.JSON.writeValueAsString(out));
            return 0;
        }
        System.out.printf("Engine:   %s %s%n", info.engine(), info.version());
        System.out.printf("Device:   %s (GPUs visible: %d)%n", info.device(), info.gpus());
        System.out.printf("Threads:  %d intra-op%n", info.threads());
        System.out.printf("Java:     %s%n", System.getProperty("java.version"));
        System.out.printf("Assets:   %s%n", models == null ? "not found" : models.getParent());
        if (list.isEmpty()) {
            System.out.println("Models:   none found");
        }
        for (var n : list) {
            System.out.printf("Model:    %-16s %-12s %s%n", n.get("name").asText(), n.get("kind").asText(),
                    n.get("title").asText(""));
        }
        if (described != null) {
            System.out.printf("Selected: %s (%s) %s%n", described.get("path").asText(), described.get("kind").asText(),
                    described.path("architecture").asText(""));
            System.out.printf("          %s parameters, %s GMAC per forward (one image)%n",
                    described.has("parameters") ? String.format("%,d", described.get("parameters").asLong()) : "unknown",
                    described.has("gmac_per_forward") ? String.format(java.util.Locale.ROOT, "%.4f",
                            described.get("gmac_per_forward").asDouble()) : "unknown");
        }
        return 0;
    }

    /** Kind, parameters and GMAC of a model directory; Atelier UNets are loaded and counted. */
    private static ObjectNode describe(Path dir, ai.djl.Device device) {
        ModelManifest m = ModelManifest.read(java.nio.file.Files.isDirectory(dir) ? dir : dir.getParent());
        ObjectNode d = ModelManifest.JSON.createObjectNode();
        d.put("path", dir.toString());
        d.put("kind", m.kind);
        d.put("name", m.name);
        if (m.architecture != null && UNetConfig.TYPE.equals(m.architecture.path("type").asText())) {
            try (UNetConsistencyModel cm = UNetConsistencyModel.load(dir, device)) {
                d.put("architecture", cm.network().config().toString());
                d.put("parameters", cm.network().parameterCount());
                d.put("gmac_per_forward", cm.network().gmacPerImage());
            }
        } else if (m.architecture != null) {
            if (m.architecture.has("parameters")) {
                d.put("parameters", m.architecture.get("parameters").asLong());
            }
            if (m.architecture.has("gmac_per_image")) {
                d.put("gmac_per_forward", m.architecture.get("gmac_per_image").asDouble());
            }
        }
        return d;
    }
}
