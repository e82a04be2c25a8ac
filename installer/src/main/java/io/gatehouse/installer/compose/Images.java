package io.gatehouse.installer.compose;

import io.gatehouse.installer.InstallerException;
import io.gatehouse.installer.process.Command;
import io.gatehouse.installer.process.CommandRunner;

import java.util.ArrayList;
import java.util.List;

/** The images an installation of one version needs (contract: built locally or loaded from a bundle, never pulled). */
public final class Images {

    public static final String BASE = "gatehouse/base-jre:25";
    private static final List<String> NAMES = List.of("postgres", "caddy", "mongo-wire", "docker-proxy", "portal", "connector-sql");

    private Images() {
    }

    /** Every gatehouse image at that tag (what {@code installer images} builds and a bundle carries, without the base). */
    public static List<String> all(String tag) {
        return NAMES.stream().map(n -> "gatehouse/" + n + ":" + tag).toList();
    }

    /** What {@code up} needs: every image, with the MongoDB image .env names (the official one or the bundled server). */
    public static List<String> required(String tag, String mongoImage) {
        List<String> images = new ArrayList<>(all(tag));
        if (mongoImage != null && !mongoImage.isBlank()) {
            images.remove("gatehouse/mongo-wire:" + tag);
            images.add(mongoImage);
        }
        return images;
    }

    public static List<String> missing(CommandRunner runner, List<String> images) {
        return images.stream().filter(image -> !runner.run(Command.of("docker", "image", "inspect", "--format", "{{.Id}}", image)).succeeded()).toList();
    }

    public static void requirePresent(CommandRunner runner, List<String> images, boolean sourceCheckout) {
        List<String> missing = missing(runner, images);
        if (!missing.isEmpty()) {
            throw new InstallerException("image(s) missing: " + String.join(", ", missing) + ": run "
                    + (sourceCheckout ? "./installer.sh images (source checkout)" : "./installer.sh load BUNDLE.tar (bundle)"));
        }
    }
}
