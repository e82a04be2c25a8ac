package io.gatehouse.installer.archive;

import io.gatehouse.installer.InstallerException;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.compressors.gzip.GzipCompressorInputStream;
import org.apache.commons.compress.compressors.gzip.GzipCompressorOutputStream;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * Writes and reads the installer's archives: a MANIFEST.json first, then the files (plain tar for bundles, tar.gz
 * for backups). Reading extracts into a directory while hashing every file, refuses paths that leave it, and checks
 * the result against the manifest.
 */
public final class Tar {

    private Tar() {
    }

    /** Writes MANIFEST.json then every file (mode kept, so executables stay executable). */
    public static void write(Path target, boolean gzip, Manifest manifest, Map<String, Path> files) {
        try (OutputStream file = new BufferedOutputStream(Files.newOutputStream(target));
             OutputStream compressed = gzip ? new GzipCompressorOutputStream(file) : file;
             TarArchiveOutputStream tar = new TarArchiveOutputStream(compressed)) {
            tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
            tar.setBigNumberMode(TarArchiveOutputStream.BIGNUMBER_POSIX);
            byte[] json = manifest.toJson();
            TarArchiveEntry head = new TarArchiveEntry(Manifest.NAME);
            head.setSize(json.length);
            head.setMode(0644);
            tar.putArchiveEntry(head);
            tar.write(json);
            tar.closeArchiveEntry();
            for (Map.Entry<String, Path> entry : files.entrySet()) {
                TarArchiveEntry tarEntry = new TarArchiveEntry(entry.getKey());
                tarEntry.setSize(Files.size(entry.getValue()));
                tarEntry.setMode(Files.isExecutable(entry.getValue()) ? 0755 : 0644);
                tar.putArchiveEntry(tarEntry);
                Files.copy(entry.getValue(), tar);
                tar.closeArchiveEntry();
            }
            tar.finish();
        } catch (IOException e) {
            throw new InstallerException("cannot write " + target + ": " + e.getMessage());
        }
    }

    /**
     * Extracts every file into {@code into} (created), hashing as it goes, then verifies against MANIFEST.json.
     * Returns the manifest; throws naming the first file that differs.
     */
    public static Manifest extractVerified(Path archive, boolean gzip, Path directory) {
        // Each entry's target is normalised before the containment check below, so the directory must be too: a
        // directory reached through ".." (restore ../backups/x.tar.gz) would otherwise refuse every entry.
        Path into = directory.toAbsolutePath().normalize();
        Map<String, Manifest.Entry> actual = new LinkedHashMap<>();
        byte[] manifestJson = null;
        try (InputStream file = new BufferedInputStream(Files.newInputStream(archive));
             InputStream decompressed = gzip ? new GzipCompressorInputStream(file) : file;
             TarArchiveInputStream tar = new TarArchiveInputStream(decompressed)) {
            Files.createDirectories(into);
            TarArchiveEntry entry;
            while ((entry = tar.getNextEntry()) != null) {
                if (entry.isDirectory()) {
                    continue;
                }
                if (!entry.isFile()) {
                    throw new InstallerException(archive + ": " + entry.getName() + " is not a regular file: the archive was not written by the installer");
                }
                if (entry.getName().equals(Manifest.NAME)) {
                    manifestJson = tar.readAllBytes();
                    continue;
                }
                Path target = into.resolve(entry.getName()).normalize();
                if (!target.startsWith(into) || target.equals(into)) {
                    throw new InstallerException(archive + ": " + entry.getName() + " points outside the archive: refused");
                }
                Files.createDirectories(target.getParent());
                Manifest.Digest digest;
                try (OutputStream out = Files.newOutputStream(target)) {
                    digest = Manifest.Digest.of(new TeeInputStream(tar, out));
                }
                if ((entry.getMode() & 0100) != 0) {
                    Set<PosixFilePermission> mode = PosixFilePermissions.fromString("rwxr-xr-x");
                    Files.setPosixFilePermissions(target, mode);
                }
                actual.put(entry.getName(), new Manifest.Entry(digest.sha256(), digest.size()));
            }
        } catch (IOException e) {
            throw new InstallerException(archive + " is not a readable " + (gzip ? "tar.gz" : "tar") + " archive (" + e.getMessage()
                    + "): it is damaged or incomplete; do not use it");
        }
        if (manifestJson == null) {
            throw new InstallerException(archive + " has no " + Manifest.NAME + ": it is not a Gatehouse archive");
        }
        Manifest manifest = Manifest.parse(manifestJson, archive.toString());
        manifest.verify(actual, archive.toString());
        return manifest;
    }

    public static void moveIfAbsent(Path from, Path to) throws IOException {
        if (!Files.exists(to) && Files.exists(from)) {
            Files.createDirectories(to.toAbsolutePath().getParent());
            Files.move(from, to, StandardCopyOption.ATOMIC_MOVE);
        }
    }

    /** Copies what is read into a second stream (the extracted file) while the digest reads it. */
    private static final class TeeInputStream extends FilterInputStream {
        private final OutputStream copy;

        TeeInputStream(InputStream in, OutputStream copy) {
            super(in);
            this.copy = copy;
        }

        @Override
        public int read() throws IOException {
            int b = super.read();
            if (b >= 0) {
                copy.write(b);
            }
            return b;
        }

        @Override
        public int read(byte[] buffer, int offset, int length) throws IOException {
            int n = super.read(buffer, offset, length);
            if (n > 0) {
                copy.write(buffer, offset, n);
            }
            return n;
        }

        @Override
        public void close() {
            // the tar stream stays open for the next entry
        }
    }
}
