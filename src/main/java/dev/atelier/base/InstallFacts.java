package dev.atelier.base;

import ai.djl.engine.Engine;
import ai.djl.util.Utils;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.Properties;

/**
 * What an About box says about this installation, read without starting the engine (cheap enough for
 * the FX thread): versions from the jars' own files and the folders Atelier uses.
 *
 * @param appVersion Atelier's version from its jar manifest, or "development build" when run from classes
 * @param djlVersion DJL's version (from its api jar)
 * @param pytorchNatives the bundled PyTorch natives ("2.7.1 cpu linux-x86_64"), or "not found"
 * @param djlCache where DJL extracts the PyTorch natives (the DJL cache of the engine)
 * @param models the shipped models folder, or null when none is found
 */
public record InstallFacts(String appVersion, String djlVersion, String pytorchNatives, Path djlCache, Path models) {

    /** @return the facts of this process */
    public static InstallFacts current() {
        String app = InstallFacts.class.getPackage().getImplementationVersion();
        Properties djl = properties(Engine.class, "/ai/djl/engine/api.properties");
        Properties natives = properties(InstallFacts.class, "/native/lib/pytorch.properties");
        String pt = natives.getProperty("version");
        String nativesText = pt == null ? "not found"
                : pt.replaceFirst("-\\d{8}$", "") + " " + natives.getProperty("flavor", "") + " "
                        + natives.getProperty("classifier", "");
        return new InstallFacts(app == null ? "development build" : app, djl.getProperty("djl_version", "unknown"),
                nativesText.trim(), Utils.getEngineCacheDir("pytorch"), ModelLocator.modelsDir());
    }

    private static Properties properties(Class<?> anchor, String resource) {
        Properties p = new Properties();
        try (InputStream in = anchor.getResourceAsStream(resource)) {
            if (in != null) {
                p.load(in);
            }
        } catch (IOException e) {
            // unreadable: the caller reports "unknown"
        }
        return p;
    }
}
