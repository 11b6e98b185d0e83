package dev.atelier.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.atelier.runtime.Engines;
import dev.atelier.runtime.ModelLocator;
import dev.atelier.runtime.ModelManifest;
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

    @Override
    public Integer call() throws Exception {
        common.applyEngineSettings();
        Engines.Info info = Engines.info();
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
        return 0;
    }
}
