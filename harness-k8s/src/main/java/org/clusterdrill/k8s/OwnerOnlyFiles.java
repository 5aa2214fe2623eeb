package org.clusterdrill.k8s;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.stream.Stream;

/** Creates backup folders and files that only their owner can read, where the file system has POSIX permissions. */
final class OwnerOnlyFiles {

    private static final boolean POSIX = FileSystems.getDefault().supportedFileAttributeViews().contains("posix");

    private OwnerOnlyFiles() {
    }

    /** Creates the folder with its parents, or accepts it when it exists and is empty. */
    static void createEmptyDirectory(Path directory) {
        try {
            if (Files.isDirectory(directory)) {
                try (Stream<Path> entries = Files.list(directory)) {
                    if (entries.findAny().isPresent()) {
                        throw new IllegalArgumentException("Backup folder " + directory + " is not empty; pass a new or empty folder");
                    }
                }
            } else {
                Files.createDirectories(directory);
            }
            if (POSIX) {
                Files.setPosixFilePermissions(directory, PosixFilePermissions.fromString("rwx------"));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Could not create backup folder " + directory, e);
        }
    }

    /** Writes a new file that is created with owner-only permissions, so its content is never readable by others. */
    static void write(Path file, byte[] content) {
        try {
            if (POSIX) {
                Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            }
            Files.write(file, content);
        } catch (IOException e) {
            throw new UncheckedIOException("Could not write " + file, e);
        }
    }

    /** Makes an existing file readable and writable by its owner only. */
    static void restrict(Path file) {
        if (!POSIX) {
            return;
        }
        try {
            Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
        } catch (IOException e) {
            throw new UncheckedIOException("Could not restrict the permissions of " + file, e);
        }
    }

    /** Writes a text file, replacing an earlier one, readable by its owner only. */
    static void writeReplacing(Path file, String content) {
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            throw new UncheckedIOException("Could not replace " + file, e);
        }
        write(file, content.getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }
}
