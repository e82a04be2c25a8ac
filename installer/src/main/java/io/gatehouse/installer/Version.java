package io.gatehouse.installer;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Properties;

/** The image tag this installer installs (Maven property gatehouse.image.tag, filtered into version.properties). */
public final class Version {

    private Version() {
    }

    public static String imageTag() {
        try (InputStream in = Version.class.getResourceAsStream("version.properties")) {
            Properties properties = new Properties();
            properties.load(in);
            return properties.getProperty("version");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
