package io.gatehouse.installer.bundle;

import io.gatehouse.installer.DirOption;
import io.gatehouse.installer.Host;
import io.gatehouse.installer.Version;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

import java.nio.file.Path;
import java.util.concurrent.Callable;

@Command(name = "bundle", description = "Writes one tar for an air-gapped host: images, compose files, installer, Java runtime, manifest.")
public final class BundleCommand implements Callable<Integer> {

    private final Host host;
    @Mixin DirOption dir;
    @Spec CommandSpec spec;

    @Option(names = "--out", required = true, paramLabel = "FILE.tar")
    Path out;

    public BundleCommand(Host host) {
        this.host = host;
    }

    @Override
    public Integer call() {
        new Bundles(host).bundle(dir.resolve(host), Version.imageTag(), out.toAbsolutePath(), spec.commandLine().getOut());
        return 0;
    }
}
