package dev.baton.rotation;

import java.nio.file.attribute.PosixFilePermission;
import java.time.Duration;
import java.util.EnumSet;
import java.util.Objects;
import java.util.Set;

/**
 * How a file is rotated, apart from when: how many versions to keep, whether to rename or
 * copy-and-truncate, whether to create a fresh file, commands to run around the rotation,
 * compression, and the conditions (empty, missing, too small, hard-linked) under which a rotation
 * is skipped or refused. Each option is named after the logrotate directive it implements.
 *
 * <pre>{@code
 * RotationOptions options = RotationOptions.builder(7)
 *         .create()                                  // same mode, owner and group as the old file
 *         .postrotate("kill -HUP \"$(cat /run/app.pid)\"")
 *         .compress().delayCompress()
 *         .notIfEmpty()
 *         .build();
 * Rotation.rotate(Path.of("/var/log/app.log"), options);
 * }</pre>
 *
 * <p>Instances are immutable and safe to share; the {@link Builder} is not thread-safe. Every
 * builder method checks its argument at once and throws {@link IllegalArgumentException} naming
 * the option and the rule; {@link Builder#build()} checks the combination.
 */
public final class RotationOptions {
    /*
     * Design notes.
     *
     * One immutable value with a builder rather than a record: a dozen options with defaults, most
     * of them booleans, read badly as a canonical constructor, and a config parser wants to set
     * them one directive at a time. The "when" (interval, calendar, size checks, state) stays on
     * RotationPolicy; everything here is about one rotation.
     *
     * MAX_KEEP: a rotation costs one rename per version below the lowest free slot, so keep is the
     * worst-case number of renames of a single rotation. A thousand keeps that under a
     * millisecond-scale pause on any disk; more history than that is better kept by date-named
     * archives, which Baton does not do (see docs/rotation.md).
     */

    /** The largest {@code keep} accepted; see the design notes for why. */
    public static final int MAX_KEEP = 1000;

    /**
     * Scripts that run longer than this are killed; the default of {@link Builder#scriptTimeout}.
     * Ten minutes: far longer than a reload or a reopen signal takes, short enough that a hung
     * script is noticed the same hour (logrotate has no timeout; a hung script stops it for good).
     */
    public static final Duration DEFAULT_SCRIPT_TIMEOUT = Duration.ofMinutes(10);

    private final int keep;
    private final boolean copyTruncate;
    private final boolean create;
    private final Set<PosixFilePermission> createMode;
    private final String createOwner;
    private final String createGroup;
    private final String prerotate;
    private final String postrotate;
    private final boolean sharedScripts;
    private final Duration scriptTimeout;
    private final boolean compress;
    private final boolean delayCompress;
    private final boolean ifEmpty;
    private final boolean missingOk;
    private final long minSize;
    private final long maxSize;
    private final Duration maxAge;
    private final boolean allowHardLink;

    private RotationOptions(Builder b) {
        this.keep = b.keep;
        this.copyTruncate = b.copyTruncate;
        this.create = b.create;
        this.createMode = b.createMode == null ? null : Set.copyOf(b.createMode);
        this.createOwner = b.createOwner;
        this.createGroup = b.createGroup;
        this.prerotate = b.prerotate;
        this.postrotate = b.postrotate;
        this.sharedScripts = b.sharedScripts;
        this.scriptTimeout = b.scriptTimeout;
        this.compress = b.compress;
        this.delayCompress = b.delayCompress;
        this.ifEmpty = b.ifEmpty;
        this.missingOk = b.missingOk;
        this.minSize = b.minSize;
        this.maxSize = b.maxSize;
        this.maxAge = b.maxAge;
        this.allowHardLink = b.allowHardLink;
    }

    /**
     * A builder keeping {@code keep} old versions (logrotate's {@code rotate N}), with every other
     * option at its default: rename (no copytruncate), no create, no scripts, no compression,
     * {@code ifempty}, {@code missingok}, no size or age limits, hard links refused.
     *
     * @param keep how many old versions to keep ({@code path.1} to {@code path.keep}), 1 to
     *     {@link #MAX_KEEP}
     * @return a new builder; each call returns a separate one
     * @throws IllegalArgumentException if {@code keep} is not between 1 and {@link #MAX_KEEP}
     */
    public static Builder builder(int keep) {
        return new Builder(keep);
    }

    /**
     * {@code builder(keep).build()}: plain renames, the defaults of {@link #builder}.
     *
     * @param keep how many old versions to keep ({@code path.1} to {@code path.keep}), 1 to
     *     {@link #MAX_KEEP}
     * @return the options, with every option but {@code keep} at its default
     * @throws IllegalArgumentException if {@code keep} is not between 1 and {@link #MAX_KEEP}
     */
    public static RotationOptions keep(int keep) {
        return builder(keep).build();
    }

    /**
     * A builder starting from this instance's options, to derive options that differ in a few.
     *
     * @return a new builder holding every option of this instance; changing it leaves this
     *     instance unchanged
     */
    public Builder toBuilder() {
        Builder b = new Builder(keep);
        b.copyTruncate = copyTruncate;
        b.create = create;
        b.createMode = createMode;
        b.createOwner = createOwner;
        b.createGroup = createGroup;
        b.prerotate = prerotate;
        b.postrotate = postrotate;
        b.sharedScripts = sharedScripts;
        b.scriptTimeout = scriptTimeout;
        b.compress = compress;
        b.delayCompress = delayCompress;
        b.ifEmpty = ifEmpty;
        b.missingOk = missingOk;
        b.minSize = minSize;
        b.maxSize = maxSize;
        b.maxAge = maxAge;
        b.allowHardLink = allowHardLink;
        return b;
    }

    /**
     * These options without their prerotate and postrotate scripts, for a dry run that must run
     * no command.
     *
     * @return this instance if it has no script; else a copy with every other option the same
     */
    public RotationOptions withoutScripts() {
        if (prerotate == null && postrotate == null) {
            return this;
        }
        Builder b = toBuilder();
        b.prerotate = null;
        b.postrotate = null;
        return b.build();
    }

    static void checkKeep(int keep) {
        if (keep < 1) {
            throw new IllegalArgumentException("keep must be at least 1, was " + keep);
        }
        if (keep > MAX_KEEP) {
            throw new IllegalArgumentException("keep must be at most " + MAX_KEEP + " (each rotation may rename every"
                    + " version), was " + keep);
        }
    }

    /**
     * How many old versions are kept: {@code path.1} ... {@code path.keep}.
     *
     * @return 1 to {@link #MAX_KEEP}
     */
    public int keep() {
        return keep;
    }

    /**
     * logrotate's {@code copytruncate}: copy the file to the new version, then truncate it in place.
     *
     * @return true to copy and truncate; false (the default) to rename
     */
    public boolean copyTruncate() {
        return copyTruncate;
    }

    /**
     * logrotate's {@code create}: a fresh empty file is made at {@code path} after the rename.
     *
     * @return true if a fresh file is created; false (the default) if {@code path} stays absent until
     *     its writer creates it
     */
    public boolean create() {
        return create;
    }

    /**
     * The mode of the created file, with {@link #create()}.
     *
     * @return an unmodifiable set of permissions (empty for mode 0000), or null for the rotated file's
     *     mode
     */
    public Set<PosixFilePermission> createMode() {
        return createMode;
    }

    /**
     * The owner of the created file, with {@link #create()}.
     *
     * @return a user name, or null for the rotated file's owner
     */
    public String createOwner() {
        return createOwner;
    }

    /**
     * The group of the created file, with {@link #create()}.
     *
     * @return a group name, or null for the rotated file's group
     */
    public String createGroup() {
        return createGroup;
    }

    /**
     * The {@code prerotate} script: run before the rotation; a failure cancels it.
     *
     * @return the script as given to {@link Builder#prerotate}, or null for none
     */
    public String prerotate() {
        return prerotate;
    }

    /**
     * The {@code postrotate} script: run after the rotation's last rename.
     *
     * @return the script as given to {@link Builder#postrotate}, or null for none
     */
    public String postrotate() {
        return postrotate;
    }

    /**
     * logrotate's {@code sharedscripts}: with {@link Rotation#rotateAll}, each script runs once for all paths.
     *
     * @return true if each script runs once for all paths; false (the default) if once per path
     */
    public boolean sharedScripts() {
        return sharedScripts;
    }

    /**
     * How long a script may run before it is killed.
     *
     * @return the timeout, positive; {@link #DEFAULT_SCRIPT_TIMEOUT} unless set
     */
    public Duration scriptTimeout() {
        return scriptTimeout;
    }

    /**
     * logrotate's {@code compress}: old versions are gzipped to {@code path.N.gz}.
     *
     * @return true if old versions are compressed; false (the default) if they stay as they are
     */
    public boolean compress() {
        return compress;
    }

    /**
     * logrotate's {@code delaycompress}: {@code path.1} stays uncompressed until the next rotation.
     *
     * @return true if {@code path.1} is left uncompressed (only ever with {@link #compress()});
     *     false (the default) if it is compressed at once
     */
    public boolean delayCompress() {
        return delayCompress;
    }

    /**
     * logrotate's {@code ifempty} or {@code notifempty}: whether an empty file is rotated.
     *
     * @return true ({@code ifempty}, the default) if an empty file is rotated; false
     *     ({@code notifempty}) if it is skipped as {@link RotationEvent.Outcome#SKIPPED_EMPTY}
     */
    public boolean ifEmpty() {
        return ifEmpty;
    }

    /**
     * logrotate's {@code missingok} or {@code nomissingok}: whether a missing file is an error.
     *
     * @return true ({@code missingok}, the default) if a missing file is skipped as
     *     {@link RotationEvent.Outcome#SKIPPED_MISSING}; false ({@code nomissingok}) if it fails the
     *     rotation
     */
    public boolean missingOk() {
        return missingOk;
    }

    /**
     * logrotate's {@code minsize}: a time-triggered rotation is skipped below this many bytes.
     *
     * @return the size in bytes, positive; 0 (the default) for none
     */
    public long minSize() {
        return minSize;
    }

    /**
     * logrotate's {@code maxsize}: a time-triggered policy also rotates when the file is larger.
     *
     * @return the size in bytes, positive; 0 (the default) for none
     */
    public long maxSize() {
        return maxSize;
    }

    /**
     * logrotate's {@code maxage}: versions last modified longer ago than this are removed.
     *
     * @return the age, positive; null (the default) for none
     */
    public Duration maxAge() {
        return maxAge;
    }

    /** {@link #maxAge()} as an operator wrote it: "30 days" for whole days, else the duration. */
    String describeMaxAge() {
        long days = maxAge.toDays();
        return maxAge.equals(Duration.ofDays(days)) ? days + (days == 1 ? " day" : " days") : maxAge.toString();
    }

    /**
     * logrotate's {@code allowhardlink}: a file with more than one hard link may be rotated, and
     * its versions may have several links too. Without it, both are refused: a hard link is how
     * another user would make root read or chown a file that is not the log.
     *
     * @return true if hard-linked files and versions are rotated; false (the default) if they are
     *     refused with an {@link java.io.IOException} naming the file
     */
    public boolean allowHardLink() {
        return allowHardLink;
    }

    @Override
    public String toString() {
        StringBuilder s = new StringBuilder("keep ").append(keep);
        if (copyTruncate) {
            s.append(", copytruncate");
        }
        if (create) {
            s.append(", create");
            if (createMode != null) {
                s.append(' ').append(java.nio.file.attribute.PosixFilePermissions.toString(createMode));
            }
            if (createOwner != null) {
                s.append(' ').append(createOwner);
            }
            if (createGroup != null) {
                s.append(':').append(createGroup);
            }
        }
        if (compress) {
            s.append(delayCompress ? ", compress, delaycompress" : ", compress");
        }
        if (!ifEmpty) {
            s.append(", notifempty");
        }
        if (!missingOk) {
            s.append(", nomissingok");
        }
        if (minSize > 0) {
            s.append(", minsize ").append(minSize);
        }
        if (maxSize > 0) {
            s.append(", maxsize ").append(maxSize);
        }
        if (maxAge != null) {
            s.append(", maxage ").append(describeMaxAge());
        }
        if (prerotate != null) {
            s.append(", prerotate");
        }
        if (postrotate != null) {
            s.append(", postrotate");
        }
        if (sharedScripts) {
            s.append(", sharedscripts");
        }
        if (allowHardLink) {
            s.append(", allowhardlink");
        }
        return s.toString();
    }

    /** Collects options; {@link #build()} checks them together. Not thread-safe. */
    public static final class Builder {
        /* Every field is touched only by the thread using the builder. */
        private int keep;
        private boolean copyTruncate;
        private boolean create;
        private Set<PosixFilePermission> createMode;
        private String createOwner;
        private String createGroup;
        private String prerotate;
        private String postrotate;
        private boolean sharedScripts;
        private Duration scriptTimeout = DEFAULT_SCRIPT_TIMEOUT;
        private boolean compress;
        private boolean delayCompress;
        private boolean ifEmpty = true;
        private boolean missingOk = true;
        private long minSize;
        private long maxSize;
        private Duration maxAge;
        private boolean allowHardLink;

        private Builder(int keep) {
            keep(keep);
        }

        /**
         * Sets how many old versions are kept, replacing the number given to
         * {@link RotationOptions#builder}.
         *
         * @param keep how many old versions to keep ({@code path.1} to {@code path.keep}), 1 to
         *     {@link RotationOptions#MAX_KEEP}
         * @return this builder
         * @throws IllegalArgumentException if {@code keep} is not between 1 and
         *     {@link RotationOptions#MAX_KEEP} (then the builder is unchanged)
         */
        public Builder keep(int keep) {
            checkKeep(keep);
            this.keep = keep;
            return this;
        }

        /**
         * Copy, then truncate in place, instead of renaming (for writers that never reopen).
         * Excludes {@link #create()}: {@link #build()} refuses both.
         *
         * @return this builder
         */
        public Builder copyTruncate() {
            this.copyTruncate = true;
            return this;
        }

        /**
         * Create a fresh file with the rotated file's mode, owner and group. Excludes
         * {@link #copyTruncate()}: {@link #build()} refuses both.
         *
         * @return this builder
         */
        public Builder create() {
            return create(null, null, null);
        }

        /**
         * Create a fresh file with the given mode, owner and group; null for each means "the
         * rotated file's". Replaces the mode, owner and group of an earlier call.
         *
         * @param modeOrNull the new file's permissions (copied; empty for mode 0000), or null for
         *     the rotated file's mode
         * @param ownerOrNull the new file's owner, a user name, or null for the rotated file's
         *     owner
         * @param groupOrNull the new file's group, a group name, or null for the rotated file's
         *     group
         * @return this builder
         * @throws IllegalArgumentException if {@code ownerOrNull} or {@code groupOrNull} is blank
         *     or contains a NUL character (then the builder is unchanged)
         * @throws NullPointerException if {@code modeOrNull} contains null (then the builder is
         *     unchanged)
         */
        public Builder create(Set<PosixFilePermission> modeOrNull, String ownerOrNull, String groupOrNull) {
            checkName(ownerOrNull, "create owner");
            checkName(groupOrNull, "create group");
            // Copied before anything changes, so a mode set holding null leaves the builder as it was.
            EnumSet<PosixFilePermission> mode = modeOrNull == null ? null : EnumSet.copyOf(modeOrNull.isEmpty()
                    ? EnumSet.noneOf(PosixFilePermission.class) : modeOrNull);
            this.create = true;
            this.createMode = mode;
            this.createOwner = ownerOrNull;
            this.createGroup = groupOrNull;
            return this;
        }

        /**
         * A shell script run before the rotation as {@code sh -c script sh path} (the path is
         * {@code $1}, never spliced into the script). A non-zero exit cancels the rotation.
         *
         * <p>Every script runs in the folder {@code /}, with stdin empty and exactly this
         * environment: {@code PATH=/usr/sbin:/usr/bin:/sbin:/bin}, {@code HOME} of the user
         * running Baton, and {@code LANG} and {@code LC_ALL} as Baton's process has them (nothing
         * else is inherited). Its output is logged one quoted line per output line (first 64 KiB);
         * past {@link #scriptTimeout} it is killed with its descendants.
         *
         * @param script the shell script, passed to {@code sh -c} as it is
         * @return this builder
         * @throws NullPointerException if {@code script} is null
         * @throws IllegalArgumentException if {@code script} is blank
         */
        public Builder prerotate(String script) {
            this.prerotate = checkScript(script, "prerotate");
            return this;
        }

        /**
         * A shell script run after the rotation's last rename as {@code sh -c script sh path}; see
         * {@link #prerotate}. A non-zero exit does not undo the rotation: it is logged (a
         * shared script's is thrown by {@link Rotation#rotateAll}).
         *
         * @param script the shell script, passed to {@code sh -c} as it is
         * @return this builder
         * @throws NullPointerException if {@code script} is null
         * @throws IllegalArgumentException if {@code script} is blank
         */
        public Builder postrotate(String script) {
            this.postrotate = checkScript(script, "postrotate");
            return this;
        }

        /**
         * Run each script once for all the paths of {@link Rotation#rotateAll}, with all of them
         * as arguments.
         *
         * @return this builder
         */
        public Builder sharedScripts() {
            this.sharedScripts = true;
            return this;
        }

        /**
         * How long a script may run before it and its descendants are killed (default
         * {@link #DEFAULT_SCRIPT_TIMEOUT}, ten minutes).
         *
         * @param timeout the longest a prerotate or postrotate script may run, positive
         * @return this builder
         * @throws NullPointerException if {@code timeout} is null
         * @throws IllegalArgumentException if {@code timeout} is zero or negative
         */
        public Builder scriptTimeout(Duration timeout) {
            checkPositive(timeout, "scriptTimeout");
            this.scriptTimeout = timeout;
            return this;
        }

        /**
         * Gzip old versions to {@code path.N.gz}.
         *
         * @return this builder
         */
        public Builder compress() {
            this.compress = true;
            return this;
        }

        /**
         * With {@link #compress}: leave {@code path.1} uncompressed until the next rotation.
         * Without it, {@link #build()} refuses the options.
         *
         * @return this builder
         */
        public Builder delayCompress() {
            this.delayCompress = true;
            return this;
        }

        /**
         * logrotate's {@code notifempty}: an empty file is not rotated.
         *
         * @return this builder
         */
        public Builder notIfEmpty() {
            this.ifEmpty = false;
            return this;
        }

        /**
         * logrotate's {@code nomissingok}: a missing file is a failure, not a skip.
         *
         * @return this builder
         */
        public Builder notMissingOk() {
            this.missingOk = false;
            return this;
        }

        /**
         * logrotate's {@code minsize}: time-triggered rotations skip files smaller than this.
         *
         * @param bytes the smallest size, in bytes, a file must have for a time-triggered rotation
         * @return this builder
         * @throws IllegalArgumentException if {@code bytes} is less than 1
         */
        public Builder minSize(long bytes) {
            checkPositive(bytes, "minSize");
            this.minSize = bytes;
            return this;
        }

        /**
         * logrotate's {@code maxsize}: time-triggered policies also rotate a file larger than this.
         *
         * @param bytes the size, in bytes, a file must exceed to be rotated between scheduled
         *     rotations
         * @return this builder
         * @throws IllegalArgumentException if {@code bytes} is less than 1
         */
        public Builder maxSize(long bytes) {
            checkPositive(bytes, "maxSize");
            this.maxSize = bytes;
            return this;
        }

        /**
         * logrotate's {@code maxage}: remove versions last modified longer ago than {@code age}.
         *
         * @param age the longest a version may go unmodified before a rotation removes it,
         *     positive
         * @return this builder
         * @throws NullPointerException if {@code age} is null
         * @throws IllegalArgumentException if {@code age} is zero or negative
         */
        public Builder maxAge(Duration age) {
            checkPositive(age, "maxAge");
            this.maxAge = age;
            return this;
        }

        /**
         * logrotate's {@code allowhardlink}: rotate a file even if it has other hard links, and
         * accept versions that have several.
         *
         * @return this builder
         */
        public Builder allowHardLink() {
            this.allowHardLink = true;
            return this;
        }

        /**
         * The options.
         *
         * @return new immutable options holding the builder's current settings; later changes to
         *     the builder do not affect them
         * @throws IllegalArgumentException for {@code copytruncate} with {@code create} (the file
         *     is never renamed away, so there is nothing to create), or {@code delaycompress}
         *     without {@code compress}
         */
        public RotationOptions build() {
            if (copyTruncate && create) {
                throw new IllegalArgumentException("copytruncate and create exclude each other: copytruncate keeps the"
                        + " file in place, so there is nothing to create");
            }
            if (delayCompress && !compress) {
                throw new IllegalArgumentException("delaycompress needs compress");
            }
            return new RotationOptions(this);
        }

        private static void checkName(String name, String what) {
            if (name != null && (name.isBlank() || name.contains("\0"))) {
                throw new IllegalArgumentException(what + " must be a user or group name, was '" + name + "'");
            }
        }

        private static String checkScript(String script, String what) {
            Objects.requireNonNull(script, what + " script must not be null");
            if (script.isBlank()) {
                throw new IllegalArgumentException(what + " script must not be blank");
            }
            return script;
        }
    }

    /** Throws unless {@code d} is given and positive, naming it as {@code name}. */
    static void checkPositive(Duration d, String name) {
        Objects.requireNonNull(d, name + " must not be null");
        if (d.isNegative() || d.isZero()) {
            throw new IllegalArgumentException(name + " must be positive, was " + d);
        }
    }

    /** Throws unless {@code n} is at least 1, naming it as {@code name}. */
    static void checkPositive(long n, String name) {
        if (n < 1) {
            throw new IllegalArgumentException(name + " must be positive, was " + n);
        }
    }
}
