package dev.baton.demo;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;

/**
 * One daemon per state file: an exclusive lock on {@code STATE.lock} (an fcntl lock, released by
 * the kernel when the process ends, however it ends), holding the pid of its process. A second
 * instance is refused with the first one's pid; after a kill -9 the lock is free again and the
 * next instance takes it over, saying whose it was.
 *
 * <p>The lock file is created with mode 0600 in the state's folder, which must belong to this
 * user or root and be writable by nobody else: a folder another user can write would let them
 * swap the state (stopping rotation, CVE-2022-1348 in logrotate) or plant a link at the lock's
 * name. Not thread-safe; one per process.
 */
final class DaemonLock implements AutoCloseable {
    /** The lock is held by another process: exit code 3. */
    static final class LockedException extends Exception {
        LockedException(String message) {
            super(message);
        }
    }

    /** The state's folder, state file or lock file may not be used: exit code 2. */
    static final class UnsafeException extends Exception {
        UnsafeException(String message) {
            super(message);
        }
    }

    /** The lock could not be taken for an I/O error (a full disk, a read-only file system): exit code 1, worth a retry. */
    static final class UnavailableException extends Exception {
        UnavailableException(String message, Throwable cause) {
            super(message, cause);
        }
    }

    /** What another user could do with a state folder or state file it may write. */
    static final String STATE_AT_RISK = "another user could stop or redirect the rotations of";

    private final Path lockFile;
    /** Open while the lock is held; closed by {@link #close}. */
    private final FileChannel channel;
    private final FileLock lock;
    /** The pid of the process whose lock this one took over after it died, or 0. */
    private final long tookOverFrom;

    private DaemonLock(Path lockFile, FileChannel channel, FileLock lock, long tookOverFrom) {
        this.lockFile = lockFile;
        this.channel = channel;
        this.lock = lock;
        this.tookOverFrom = tookOverFrom;
    }

    /** The lock file of {@code state}. */
    static Path lockFileOf(Path state) {
        return state.resolveSibling(state.getFileName() + ".lock");
    }

    /**
     * Why {@link #acquire} would refuse {@code state} as it is now (its existing folder, the state
     * file and the lock file, for another user could write them, or they are not regular files),
     * or null if it would not; reads only. {@code --check} asks this too.
     */
    static String unsafe(Path state) {
        Path folder = state.toAbsolutePath().getParent();
        if (folder != null && Files.isDirectory(folder)) {
            String folderRule = ConfigFiles.writableByOthers(folder, "state folder " + folder, STATE_AT_RISK);
            if (folderRule != null) {
                return state + ": " + folderRule;
            }
        }
        if (Files.exists(state, LinkOption.NOFOLLOW_LINKS)) {
            if (!Files.isRegularFile(state, LinkOption.NOFOLLOW_LINKS)) {
                return "the state file " + state + " is not a regular file (a link or a folder); remove it";
            }
            String stateRule = ConfigFiles.writableByOthers(state, "state file", STATE_AT_RISK);
            if (stateRule != null) {
                return state + ": " + stateRule;
            }
        }
        Path lockFile = lockFileOf(state);
        if (Files.exists(lockFile, LinkOption.NOFOLLOW_LINKS) && !Files.isRegularFile(lockFile, LinkOption.NOFOLLOW_LINKS)) {
            return "the lock file " + lockFile + " is not a regular file (a link or a folder); remove it";
        }
        return null;
    }

    /**
     * Takes the lock of {@code state}, creating its folder (0755) if needed.
     *
     * @throws LockedException if another process holds it (the message names its pid)
     * @throws UnsafeException if the folder, the state file or the lock file can be written by another user
     * @throws UnavailableException if the lock file cannot be created or written (a full disk, a read-only file system)
     */
    static DaemonLock acquire(Path state) throws LockedException, UnsafeException, UnavailableException {
        Path folder = state.toAbsolutePath().getParent();
        try {
            if (!Files.isDirectory(folder)) {
                Files.createDirectories(folder, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwxr-xr-x")));
            }
        } catch (IOException e) {
            throw new UnsafeException("cannot create the state folder " + folder + ": " + e.getMessage());
        }
        String unsafe = unsafe(state);
        if (unsafe != null) {
            throw new UnsafeException(unsafe);
        }
        Path lockFile = lockFileOf(state);
        if (Files.exists(lockFile, LinkOption.NOFOLLOW_LINKS)) {
            try {
                PosixFileAttributes a = Files.readAttributes(lockFile, PosixFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
                String owner = a.owner().getName();
                if (!owner.equals(ConfigFiles.USER)) {
                    throw new LockedException("the lock file " + lockFile + " belongs to user " + owner + ", not " + ConfigFiles.USER
                            + " (pid in it: " + readPid(lockFile) + "); run as " + owner + ", or remove it if no such process runs");
                }
            } catch (IOException | UnsupportedOperationException e) {
                // checked again when opened
            }
        }
        FileChannel channel = null;
        try {
            FileAttribute<?> mode = PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------"));
            channel = FileChannel.open(lockFile, java.util.Set.<java.nio.file.OpenOption>of(StandardOpenOption.CREATE,
                    StandardOpenOption.READ, StandardOpenOption.WRITE, LinkOption.NOFOLLOW_LINKS), mode);
            // 0600 whatever the umask, and also for a lock file an older run left with another mode:
            // nobody else may open it, so nobody else can take or hold the lock (CVE-2022-1348).
            Set<PosixFilePermission> owner = PosixFilePermissions.fromString("rw-------");
            if (!Files.getPosixFilePermissions(lockFile, LinkOption.NOFOLLOW_LINKS).equals(owner)) {
                Files.setAttribute(lockFile, "posix:permissions", owner, LinkOption.NOFOLLOW_LINKS);
            }
            FileLock lock;
            try {
                lock = channel.tryLock();
            } catch (OverlappingFileLockException sameJvm) {
                lock = null;
            }
            if (lock == null) {
                String pid = readPid(lockFile);
                channel.close();
                throw new LockedException("already running: process " + pid + " holds the lock " + lockFile
                        + " on the state file " + state + "; stop it first (logrotate's 'already locked')");
            }
            // Read through the locked channel: closing any other descriptor of the file would
            // release this process's fcntl lock (POSIX record-lock semantics).
            ByteBuffer old = ByteBuffer.allocate(64);
            channel.read(old, 0);
            String previous = new String(old.array(), 0, old.position(), StandardCharsets.US_ASCII).strip();
            long tookOver = 0;
            if (previous.matches("\\d+") && Long.parseLong(previous) != ProcessHandle.current().pid()) {
                tookOver = Long.parseLong(previous);
            }
            channel.truncate(0);
            channel.write(ByteBuffer.wrap((ProcessHandle.current().pid() + "\n").getBytes(StandardCharsets.US_ASCII)), 0);
            channel.force(true);
            return new DaemonLock(lockFile, channel, lock, tookOver);
        } catch (IOException e) {
            try {
                if (channel != null) {
                    channel.close();
                }
            } catch (IOException suppressed) {
                e.addSuppressed(suppressed);
            }
            throw new UnavailableException("cannot take the lock " + lockFile + ": " + e + "; nothing was rotated", e);
        }
    }

    private static String readPid(Path lockFile) {
        try {
            String text = Files.readString(lockFile, StandardCharsets.US_ASCII).strip();
            return text.isEmpty() ? "(unknown pid)" : text;
        } catch (NoSuchFileException e) {
            return "(unknown pid)";
        } catch (IOException e) {
            return "(unreadable: " + e.getMessage() + ")";
        }
    }

    /** The pid in the lock file when this process took it, if that process was gone; 0 otherwise. */
    long tookOverFrom() {
        return tookOverFrom;
    }

    Path file() {
        return lockFile;
    }

    /** Empties the lock file and releases the lock; the file stays (removing it would race with a starting instance). */
    @Override
    public void close() {
        try {
            channel.truncate(0);
            lock.release();
            channel.close();
        } catch (IOException e) {
            // The kernel releases the lock when the process ends anyway.
        }
    }
}
