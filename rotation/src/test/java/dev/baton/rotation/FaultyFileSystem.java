package dev.baton.rotation;

import java.io.IOException;
import java.net.URI;
import java.nio.channels.FileChannel;
import java.nio.channels.SeekableByteChannel;
import java.nio.file.AccessMode;
import java.nio.file.CopyOption;
import java.nio.file.DirectoryStream;
import java.nio.file.FileStore;
import java.nio.file.FileSystem;
import java.nio.file.LinkOption;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.nio.file.ProviderMismatchException;
import java.nio.file.StandardOpenOption;
import java.nio.file.WatchEvent;
import java.nio.file.WatchKey;
import java.nio.file.WatchService;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.FileAttributeView;
import java.nio.file.attribute.UserPrincipalLookupService;
import java.nio.file.spi.FileSystemProvider;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A file system that forwards everything to another one (Jimfs, or the default file system in a
 * child JVM) but fails moves on demand: {@link #failMove(String, Exception)} makes the next move
 * whose source file name is the given one throw the given exception (an IOException, or an
 * unchecked one) instead of moving.
 *
 * <p>It also counts the steps that change the file system (move, delete, create, a channel opened
 * for writing, copy, setAttribute) in {@link #steps}, and calls {@link #beforeStep} before each,
 * with its number (from 1) and what it is: the hook may throw to fail that step, or block so that
 * the process can be killed at that step. Not thread-safe: the tests use it from one thread at a
 * time (a rotation's off-loop work runs while the coroutine waits for it).
 */
final class FaultyFileSystem extends FileSystem {
    private final FileSystem delegate;
    private final Provider provider = new Provider();
    /** Failures still to inject, in order; each is used once. */
    private final Deque<Object[]> failures = new ArrayDeque<>();
    /** Every move attempted, as "from -> to", failed or not. */
    final List<String> moves = new ArrayList<>();
    /** Every step that changes the file system, in order, as described to {@link #beforeStep}. */
    final List<String> steps = new ArrayList<>();
    /** Called before each step with its number (from 1) and description; null for none. */
    volatile StepHook beforeStep;

    /** What to do before a step. */
    interface StepHook {
        void before(int step, String what) throws IOException;
    }

    private void step(String what) throws IOException {
        steps.add(what);
        StepHook hook = beforeStep;
        if (hook != null) {
            hook.before(steps.size(), what);
        }
    }

    FaultyFileSystem(FileSystem delegate) {
        this.delegate = delegate;
    }

    void failMove(String sourceFileName, Exception failure) {
        failures.addLast(new Object[] {sourceFileName, failure});
    }

    @Override
    public Path getPath(String first, String... more) {
        return wrap(delegate.getPath(first, more));
    }

    FaultyPath wrap(Path path) {
        return path == null ? null : new FaultyPath(path);
    }

    static Path unwrap(Path path) {
        if (path instanceof FaultyPath f) {
            return f.delegate;
        }
        throw new ProviderMismatchException("not a FaultyFileSystem path: " + path);
    }

    @Override
    public FileSystemProvider provider() {
        return provider;
    }

    @Override
    public void close() throws IOException {
        delegate.close();
    }

    @Override
    public boolean isOpen() {
        return delegate.isOpen();
    }

    @Override
    public boolean isReadOnly() {
        return delegate.isReadOnly();
    }

    @Override
    public String getSeparator() {
        return delegate.getSeparator();
    }

    @Override
    public Iterable<Path> getRootDirectories() {
        List<Path> roots = new ArrayList<>();
        delegate.getRootDirectories().forEach(r -> roots.add(wrap(r)));
        return roots;
    }

    @Override
    public Iterable<FileStore> getFileStores() {
        return delegate.getFileStores();
    }

    @Override
    public Set<String> supportedFileAttributeViews() {
        return delegate.supportedFileAttributeViews();
    }

    @Override
    public PathMatcher getPathMatcher(String syntaxAndPattern) {
        PathMatcher m = delegate.getPathMatcher(syntaxAndPattern);
        return p -> m.matches(unwrap(p));
    }

    @Override
    public UserPrincipalLookupService getUserPrincipalLookupService() {
        return delegate.getUserPrincipalLookupService();
    }

    @Override
    public WatchService newWatchService() {
        throw new UnsupportedOperationException();
    }

    private final class FaultyPath implements Path {
        final Path delegate;

        FaultyPath(Path delegate) {
            this.delegate = delegate;
        }

        @Override public FileSystem getFileSystem() { return FaultyFileSystem.this; }
        @Override public boolean isAbsolute() { return delegate.isAbsolute(); }
        @Override public Path getRoot() { return wrap(delegate.getRoot()); }
        @Override public Path getFileName() { return wrap(delegate.getFileName()); }
        @Override public Path getParent() { return wrap(delegate.getParent()); }
        @Override public int getNameCount() { return delegate.getNameCount(); }
        @Override public Path getName(int index) { return wrap(delegate.getName(index)); }
        @Override public Path subpath(int begin, int end) { return wrap(delegate.subpath(begin, end)); }
        @Override public boolean startsWith(Path other) { return delegate.startsWith(unwrap(other)); }
        @Override public boolean endsWith(Path other) { return delegate.endsWith(unwrap(other)); }
        @Override public Path normalize() { return wrap(delegate.normalize()); }
        @Override public Path resolve(Path other) { return wrap(delegate.resolve(unwrap(other))); }
        @Override public Path relativize(Path other) { return wrap(delegate.relativize(unwrap(other))); }
        @Override public URI toUri() { return delegate.toUri(); }
        @Override public Path toAbsolutePath() { return wrap(delegate.toAbsolutePath()); }
        @Override public Path toRealPath(LinkOption... options) throws IOException { return wrap(delegate.toRealPath(options)); }
        @Override public int compareTo(Path other) { return delegate.compareTo(unwrap(other)); }
        @Override public boolean equals(Object o) { return o instanceof FaultyPath f && delegate.equals(f.delegate); }
        @Override public int hashCode() { return delegate.hashCode(); }
        @Override public String toString() { return delegate.toString(); }
        @Override public Iterator<Path> iterator() {
            List<Path> names = new ArrayList<>();
            delegate.forEach(n -> names.add(wrap(n)));
            return names.iterator();
        }

        @Override
        public WatchKey register(WatchService watcher, WatchEvent.Kind<?>[] events, WatchEvent.Modifier... modifiers) {
            throw new UnsupportedOperationException();
        }
    }

    private final class Provider extends FileSystemProvider {
        private FileSystemProvider inner() {
            return delegate.provider();
        }

        @Override
        public void move(Path source, Path target, CopyOption... options) throws IOException {
            moves.add(source + " -> " + target);
            step("move " + source.getFileName() + " -> " + target.getFileName());
            Object[] next = failures.peekFirst();
            if (next != null && source.getFileName().toString().equals(next[0])) {
                failures.removeFirst();
                if (next[1] instanceof IOException io) {
                    throw io;
                }
                throw (RuntimeException) next[1];
            }
            inner().move(unwrap(source), unwrap(target), options);
        }

        @Override public String getScheme() { return "faulty"; }
        @Override public FileSystem newFileSystem(URI uri, Map<String, ?> env) { throw new UnsupportedOperationException(); }
        @Override public FileSystem getFileSystem(URI uri) { throw new UnsupportedOperationException(); }
        @Override public Path getPath(URI uri) { throw new UnsupportedOperationException(); }

        @Override
        public SeekableByteChannel newByteChannel(Path path, Set<? extends OpenOption> options, FileAttribute<?>... attrs) throws IOException {
            if (writes(options)) {
                step("open for writing " + path.getFileName());
            }
            return inner().newByteChannel(unwrap(path), options, attrs);
        }

        @Override
        public FileChannel newFileChannel(Path path, Set<? extends OpenOption> options, FileAttribute<?>... attrs) throws IOException {
            if (writes(options)) {
                step("open for writing " + path.getFileName());
            }
            return inner().newFileChannel(unwrap(path), options, attrs);
        }

        private static boolean writes(Set<? extends OpenOption> options) {
            return options.contains(StandardOpenOption.WRITE) || options.contains(StandardOpenOption.APPEND);
        }

        @Override
        public DirectoryStream<Path> newDirectoryStream(Path dir, DirectoryStream.Filter<? super Path> filter) throws IOException {
            DirectoryStream<Path> inner = inner().newDirectoryStream(unwrap(dir), p -> filter.accept(wrap(p)));
            return new DirectoryStream<>() {
                @Override
                public Iterator<Path> iterator() {
                    Iterator<Path> it = inner.iterator();
                    return new Iterator<>() {
                        @Override public boolean hasNext() { return it.hasNext(); }
                        @Override public Path next() { return wrap(it.next()); }
                    };
                }

                @Override
                public void close() throws IOException {
                    inner.close();
                }
            };
        }

        @Override public void createDirectory(Path dir, FileAttribute<?>... attrs) throws IOException {
            step("create directory " + dir.getFileName());
            inner().createDirectory(unwrap(dir), attrs);
        }
        @Override public void createSymbolicLink(Path link, Path target, FileAttribute<?>... attrs) throws IOException {
            inner().createSymbolicLink(unwrap(link), unwrap(target), attrs);
        }
        @Override public Path readSymbolicLink(Path link) throws IOException {
            return wrap(inner().readSymbolicLink(unwrap(link)));
        }
        @Override public void delete(Path path) throws IOException {
            step("delete " + path.getFileName());
            inner().delete(unwrap(path));
        }
        @Override public void copy(Path source, Path target, CopyOption... options) throws IOException {
            step("copy " + source.getFileName() + " -> " + target.getFileName());
            inner().copy(unwrap(source), unwrap(target), options);
        }
        @Override public boolean isSameFile(Path a, Path b) throws IOException { return inner().isSameFile(unwrap(a), unwrap(b)); }
        @Override public boolean isHidden(Path path) throws IOException { return inner().isHidden(unwrap(path)); }
        @Override public FileStore getFileStore(Path path) throws IOException { return inner().getFileStore(unwrap(path)); }
        @Override public void checkAccess(Path path, AccessMode... modes) throws IOException { inner().checkAccess(unwrap(path), modes); }

        @Override
        public <V extends FileAttributeView> V getFileAttributeView(Path path, Class<V> type, LinkOption... options) {
            return inner().getFileAttributeView(unwrap(path), type, options);
        }

        @Override
        public <A extends BasicFileAttributes> A readAttributes(Path path, Class<A> type, LinkOption... options) throws IOException {
            return inner().readAttributes(unwrap(path), type, options);
        }

        @Override
        public Map<String, Object> readAttributes(Path path, String attributes, LinkOption... options) throws IOException {
            return inner().readAttributes(unwrap(path), attributes, options);
        }

        @Override
        public void setAttribute(Path path, String attribute, Object value, LinkOption... options) throws IOException {
            step("set " + attribute + " of " + path.getFileName());
            inner().setAttribute(unwrap(path), attribute, value, options);
        }
    }
}
