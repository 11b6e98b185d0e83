package dev.atelier.cli;

import dev.atelier.Main;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Starts the studio in a fresh JVM for the benchmarks that time it from outside (start-up, Sampling panel, Text
 * panel): this JVM's java and class path, offline, the same assets, and the given system properties; its
 * standard output is the probe's report, its standard error is discarded.
 */
final class StudioProcess {
    private StudioProcess() {
    }

    /**
     * @param properties {@code -Dkey=value} arguments for the studio's JVM (probe switches, settings file, caches)
     * @return the started process
     */
    static Process start(List<String> properties) throws IOException {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.addAll(properties);
        cmd.add("-Dai.djl.offline=true");
        String assets = System.getProperty("atelier.assets");
        if (assets != null) {
            cmd.add("-Datelier.assets=" + assets);
        }
        cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), Main.class.getName()));
        return new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.DISCARD).start();
    }
}
