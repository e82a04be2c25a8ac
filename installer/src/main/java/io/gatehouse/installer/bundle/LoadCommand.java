package io.gatehouse.installer.bundle;

import io.gatehouse.installer.Host;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

import java.nio.file.Path;
import java.util.concurrent.Callable;

@Command(name = "load", description = "Verifies a bundle (every sha256), loads its images and unpacks it next to the file.")
public final class LoadCommand implements Callable<Integer> {

    private final Host host;
    @Spec CommandSpec spec;

    @Parameters(paramLabel = "FILE.tar")
    Path bundle;

    public LoadCommand(Host host) {
        this.host = host;
    }

    @Override
    public Integer call() {
        new Bundles(host).load(bundle, spec.commandLine().getOut());
        return 0;
    }
}
