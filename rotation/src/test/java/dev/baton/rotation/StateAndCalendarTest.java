package dev.baton.rotation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.baton.core.Loop;
import dev.baton.core.VirtualClock;
import java.io.IOException;
import java.nio.file.FileSystem;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.DayOfWeek;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalTime;
import java.time.MonthDay;
import java.time.ZoneId;
import java.util.List;
import java.util.function.Function;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Must-show 3 on the virtual clock in America/New_York, across the fall-back of 2024-11-03: a
 * policy with a state file that was down across two rotation instants rotates exactly once, at
 * start; one started a second after a rotation does not rotate until the next instant.
 */
class StateAndCalendarTest {
    private static final ZoneId NEW_YORK = ZoneId.of("America/New_York");
    private final FileSystem fs = Fixtures.jimfs();
    private final Path dir = fs.getPath("/logs");
    private final Path log = dir.resolve("app.log");
    private final Path state = dir.resolve("baton.state");

    @AfterEach
    void close() throws IOException {
        fs.close();
    }

    private static Function<Path, RotationPolicy> policy(String kind) {
        RotationOptions o = RotationOptions.keep(5);
        return switch (kind) {
            case "hourly" -> p -> RotationPolicy.hourly(p, o, NEW_YORK, 0);
            case "daily" -> p -> RotationPolicy.daily(p, o, NEW_YORK, LocalTime.MIDNIGHT);
            case "weekly" -> p -> RotationPolicy.weekly(p, o, NEW_YORK, DayOfWeek.SUNDAY, LocalTime.MIDNIGHT);
            case "monthly" -> p -> RotationPolicy.monthly(p, o, NEW_YORK, 1, LocalTime.MIDNIGHT);
            case "yearly" -> p -> RotationPolicy.yearly(p, o, NEW_YORK, MonthDay.of(1, 1), LocalTime.MIDNIGHT);
            default -> throw new IllegalArgumentException(kind);
        };
    }

    /** Runs the policy with the state saying {@code last}, from {@code start} to {@code end}; the rotation trace. */
    private List<String> run(String kind, Instant last, Instant start, Instant end) throws IOException {
        StateFile.record(state, log, last);
        Fixtures.write(log, "x");
        Fixtures.Recorder recorder = new Fixtures.Recorder();
        try (Loop loop = Loop.create(VirtualClock.of(start, NEW_YORK))) {
            policy(kind).apply(log).withState(state).withListener(e -> {
                recorder.onRotation(e);
                Fixtures.write(log, "x");
            }).start(loop);
            loop.runUntil(end);
        }
        return recorder.trace();
    }

    @ParameterizedTest(name = "{0}: last {1}, down until {2}")
    @CsvSource(delimiter = '|', textBlock = """
            # kind  | last rotation         | started at (after two missed instants) | next instant
            hourly  | 2024-11-03T04:00:00Z  | 2024-11-03T06:30:00Z                   | 2024-11-03T07:00:00Z
            daily   | 2024-11-02T04:00:00Z  | 2024-11-04T12:00:00Z                   | 2024-11-05T05:00:00Z
            weekly  | 2024-10-20T04:00:00Z  | 2024-11-05T12:00:00Z                   | 2024-11-10T05:00:00Z
            monthly | 2024-09-01T04:00:00Z  | 2024-11-05T12:00:00Z                   | 2024-12-01T05:00:00Z
            yearly  | 2022-01-01T05:00:00Z  | 2024-11-05T12:00:00Z                   | 2025-01-01T05:00:00Z
            """)
    void downAcrossTwoInstantsRotatesOnceAtStart(String kind, Instant last, Instant start, Instant next) throws IOException {
        assertEquals(List.of(start + " ROTATED"), run(kind, last, start, next.minusSeconds(1)));
        assertEquals(start, StateFile.lastRotation(state, log));
    }

    @ParameterizedTest(name = "{0}: rotated at {1}")
    @CsvSource(delimiter = '|', textBlock = """
            # kind  | last rotation         | the next instants (DST-exact)
            hourly  | 2024-11-03T04:00:00Z  | 2024-11-03T05:00:00Z 2024-11-03T06:00:00Z 2024-11-03T07:00:00Z
            daily   | 2024-11-02T04:00:00Z  | 2024-11-03T04:00:00Z 2024-11-04T05:00:00Z 2024-11-05T05:00:00Z
            weekly  | 2024-10-27T04:00:00Z  | 2024-11-03T04:00:00Z 2024-11-10T05:00:00Z 2024-11-17T05:00:00Z
            monthly | 2024-10-01T04:00:00Z  | 2024-11-01T04:00:00Z 2024-12-01T05:00:00Z 2025-01-01T05:00:00Z
            """)
    void startedOneSecondAfterARotationWaitsForTheNextInstant(String kind, Instant last, String nexts) throws IOException {
        List<String> expected = java.util.Arrays.stream(nexts.split(" ")).map(i -> i + " ROTATED").toList();
        Instant end = Instant.parse(nexts.split(" ")[2]);
        assertEquals(expected, run(kind, last, last.plusSeconds(1), end));
    }

    /** A file seen for the first time gets a state entry at start, and is not rotated then. */
    @Test
    void firstStartRecordsTheFileAndDoesNotRotate() throws IOException {
        Fixtures.write(log, "x");
        Instant start = Instant.parse("2024-11-03T12:00:00Z");
        Fixtures.Recorder recorder = new Fixtures.Recorder();
        try (Loop loop = Loop.create(VirtualClock.of(start, NEW_YORK))) {
            RotationPolicy.daily(log, 3).withState(state).withListener(recorder).start(loop);
            loop.runUntil(Instant.parse("2024-11-04T04:59:59Z"));
        }
        assertEquals(List.of(), recorder.trace());
        assertEquals(start, StateFile.lastRotation(state, log));
        assertFalse(Files.exists(dir.resolve("baton.state.tmp")), "the state is written by rename");
        assertEquals(StateFile.HEADER + "\n" + start + " /logs/app.log\n", Files.readString(state));
    }

    /**
     * An empty state file (made with touch before the first run, as a provisioning tool does)
     * holds no entries: the first start records the file in it, as with no state file, instead
     * of warning at every rotation that it cannot read the file, and never recording one.
     */
    @Test
    void anEmptyStateFileIsAStateWithNoEntries() throws IOException {
        int earlier = dev.baton.core.logs.RecordedLogs.containing(state.toString()).size(); // other tests use the same path
        Files.createFile(state);
        Fixtures.write(log, "x");
        Instant start = Instant.parse("2024-11-03T12:00:00Z");
        try (Loop loop = Loop.create(VirtualClock.of(start, NEW_YORK))) {
            RotationPolicy.daily(log, 3).withState(state).start(loop);
            loop.runUntil(Instant.parse("2024-11-03T12:00:01Z"));
        }
        assertEquals(StateFile.HEADER + "\n" + start + " /logs/app.log\n", Files.readString(state));
        assertEquals(earlier, dev.baton.core.logs.RecordedLogs.containing(state.toString()).size(), "warned about the empty state file");
    }

    /**
     * A state file that is not a state (another program wrote over it) is never overwritten, nor
     * left to fail every record: the first record renames it to baton.state.unreadable, keeps its
     * bytes, and starts a new state; a second such file goes to .unreadable.1. Each is warned about.
     */
    @Test
    void anUnreadableStateFileIsKeptAsideAndANewOneStarted() throws IOException {
        int earlier = dev.baton.core.logs.RecordedLogs.containing("could not be read, so it was renamed to baton.state.unreadable").size();
        Fixtures.write(log, "x");
        Instant start = Instant.parse("2024-11-03T12:00:00Z");
        List<String> problems = new java.util.ArrayList<>();
        List<Path> foretold = new java.util.ArrayList<>();
        for (String garbage : List.of("not a state\n", "baton rotation state 1\nyesterday /logs/app.log\n")) {
            Fixtures.write(state, garbage);
            problems.add(RotationPolicy.unreadableStateProblem(state)); // what --check says, before
            foretold.add(RotationPolicy.unreadableStateAside(state));
            try (Loop loop = Loop.create(VirtualClock.of(start, NEW_YORK))) {
                RotationPolicy.daily(log, 3).withState(state).start(loop);
                loop.runUntil(start.plusSeconds(1));
            }
            assertEquals(StateFile.HEADER + "\n" + start + " /logs/app.log\n", Files.readString(state));
        }
        assertEquals("not a state\n", Files.readString(dir.resolve("baton.state.unreadable")));
        assertEquals("baton rotation state 1\nyesterday /logs/app.log\n", Files.readString(dir.resolve("baton.state.unreadable.1")));
        assertEquals(2, dev.baton.core.logs.RecordedLogs.containing("could not be read, so it was renamed to baton.state.unreadable").size()
                - earlier, dev.baton.core.logs.RecordedLogs.all()::toString);
        assertEquals(List.of("line 1: expected 'baton rotation state 1'", "line 2: expected '<instant> <path>', was 'yesterday /logs/app.log'"),
                problems);
        assertEquals(List.of(dir.resolve("baton.state.unreadable"), dir.resolve("baton.state.unreadable.1")), foretold);
        assertEquals(null, RotationPolicy.unreadableStateProblem(state), "the new state reads");
    }

    /**
     * A file whose name holds a carriage return (a glob matches whatever a writer created; Linux
     * allows any byte but '/' and NUL) is recorded like any other: the state file written with it
     * reads back, so the entries of the other files sharing the state survive, and no state is
     * kept aside as unreadable. A daily rotation of both files, on one loop, one state.
     */
    @Test
    void aFileWhoseNameHoldsACarriageReturnDoesNotMakeTheSharedStateUnreadable() throws IOException {
        Path odd = dir.resolve("odd\rname.log");
        Fixtures.write(log, "x");
        Fixtures.write(odd, "x");
        Instant start = Instant.parse("2024-11-03T12:00:00Z");
        try (Loop loop = Loop.create(VirtualClock.of(start, NEW_YORK))) {
            RotationPolicy.daily(log, 3).withState(state).start(loop);
            RotationPolicy.daily(odd, 3).withState(state).start(loop);
            loop.runUntil(start.plus(Duration.ofDays(3)));
        }
        try (var names = Files.list(dir)) {
            List<String> aside = names.map(p -> p.getFileName().toString()).filter(n -> n.contains(".unreadable")).toList();
            assertEquals(List.of(), aside, "state files kept aside as unreadable");
        }
        assertTrue(StateFile.read(state).containsKey("/logs/app.log"), Files.readString(state));
        assertTrue(StateFile.read(state).containsKey(odd.toString()), Files.readString(state));
    }

    /**
     * A rotation that cannot be recorded (the state's folder is gone, the disk is full) stands,
     * and its event says so: a restart may rotate again, which an operator should see in the
     * summary and the exit code, not only in a WARN line.
     */
    @Test
    void aRotationThatCannotBeRecordedCarriesTheFailureOnItsEvent() throws IOException {
        Path unwritable = dir.resolve("gone/baton.state");
        Fixtures.write(log, "x");
        List<RotationEvent> events = new java.util.ArrayList<>();
        Instant start = Instant.parse("2026-01-01T00:00:00Z");
        try (Loop loop = Loop.create(VirtualClock.of(start, NEW_YORK))) {
            RotationPolicy.every(log, 3, Duration.ofMinutes(1)).withState(unwritable).withListener(events::add).start(loop);
            loop.runFor(Duration.ofSeconds(61));
        }
        assertEquals(1, events.size(), events::toString);
        assertEquals(RotationEvent.Outcome.ROTATED, events.get(0).outcome());
        assertTrue(events.get(0).hasError() && events.get(0).error().getMessage().contains("could not be recorded in the state file "
                + unwritable), events::toString);
        assertTrue(Files.exists(dir.resolve("app.log.1")), "the rotation stands");
    }

    /** An interval policy restarted more often than its period still rotates: its grid starts at last + N. */
    @Test
    void intervalWithStateStartsItsGridAtTheLastRotationPlusThePeriod() throws IOException {
        Instant start = Instant.parse("2026-01-01T00:00:00Z");
        StateFile.record(state, log, start.minusSeconds(40));
        Fixtures.write(log, "x");
        Fixtures.Recorder recorder = new Fixtures.Recorder();
        try (Loop loop = Loop.create(VirtualClock.of(start, NEW_YORK))) {
            RotationPolicy.every(log, 3, Duration.ofMinutes(1)).withState(state).withListener(e -> {
                recorder.onRotation(e);
                Fixtures.write(log, "x");
            }).start(loop);
            loop.runFor(Duration.ofSeconds(140));
        }
        assertEquals(List.of("2026-01-01T00:00:20Z ROTATED", "2026-01-01T00:01:20Z ROTATED", "2026-01-01T00:02:20Z ROTATED"),
                recorder.trace());
    }

    /** A size policy with a state file checks at once (a restart does not wait a period). */
    @Test
    void sizeWithStateChecksAtStart() {
        Fixtures.write(log, "x".repeat(200));
        Fixtures.Recorder recorder = new Fixtures.Recorder();
        try (Loop loop = Fixtures.virtualLoop()) {
            RotationPolicy.bySize(log, 3, 100, Duration.ofMinutes(10)).withState(state).withListener(recorder).start(loop);
            loop.runFor(Duration.ofMinutes(1));
        }
        assertEquals(List.of("2026-01-01T00:00:00Z ROTATED"), recorder.trace());
    }

    /** An interrupted rotation found at start is finished, reported and recorded: no second rotation follows. */
    @Test
    void interruptedRotationIsFinishedAtStartAndCountsAsTheRotation() throws IOException {
        Instant start = Instant.parse("2024-11-04T05:00:10Z"); // killed during the rotation of 05:00:00
        StateFile.record(state, log, Instant.parse("2024-11-03T04:00:00Z"));
        Fixtures.write(dir.resolve("app.log.rotating"), "yesterday");
        Fixtures.write(dir.resolve("app.log.2"), "older");
        Fixtures.Recorder recorder = new Fixtures.Recorder();
        try (Loop loop = Loop.create(VirtualClock.of(start, NEW_YORK))) {
            RotationPolicy.daily(log, 3).withState(state).withListener(recorder).start(loop);
            loop.runUntil(Instant.parse("2024-11-05T04:59:59Z"));
        }
        assertEquals(List.of(start + " ROTATED"), recorder.trace());
        assertEquals(Fixtures.files("app.log.1=yesterday app.log.2=older"), Fixtures.listing(dir).entrySet().stream()
                .filter(e -> e.getKey().startsWith("app.log"))
                .collect(java.util.stream.Collectors.toMap(java.util.Map.Entry::getKey, java.util.Map.Entry::getValue,
                        (a, b) -> a, java.util.TreeMap::new)));
    }

    /** CPython's test_compute_rollover_weekly_attime: each weekday at 12:00, from a UTC midnight. */
    @Test
    void test_logging_TimedRotatingFileHandlerTest_test_compute_rollover_weekly_attime() {
        ZoneId utc = ZoneId.of("UTC");
        Instant today = Instant.parse("2026-01-07T00:00:00Z"); // a Wednesday
        for (DayOfWeek day : DayOfWeek.values()) {
            CalendarRule rule = CalendarRule.weekly(day, LocalTime.NOON);
            int ahead = (day.getValue() - DayOfWeek.WEDNESDAY.getValue() + 7) % 7;
            Instant expected = today.plus(Duration.ofDays(ahead)).plus(Duration.ofHours(12));
            assertEquals(expected, rule.firstAfter(today, utc), day.toString());
            assertEquals(expected, rule.firstAfter(today.plusSeconds(12 * 3600 - 1), utc), day.toString());
            Instant afterNoon = ahead == 0 ? expected.plus(Duration.ofDays(7)) : expected;
            assertEquals(afterNoon, rule.firstAfter(today.plusSeconds(12 * 3600), utc), day.toString());
            assertEquals(afterNoon, rule.firstAfter(today.plusSeconds(13 * 3600), utc), day.toString());
        }
    }

    /** CPython's test_compute_rollover_daily_attime, in UTC from the epoch. */
    @Test
    void test_logging_TimedRotatingFileHandlerTest_test_compute_rollover_daily_attime() {
        ZoneId utc = ZoneId.of("UTC");
        Instant t = Instant.EPOCH;
        CalendarRule midnight = CalendarRule.daily(LocalTime.MIDNIGHT);
        assertEquals(t.plusSeconds(86400), midnight.firstAfter(t, utc));
        assertEquals(t.plusSeconds(86400), midnight.firstAfter(t.plusSeconds(86399), utc));
        assertEquals(t.plusSeconds(2 * 86400), midnight.firstAfter(t.plusSeconds(86400), utc));
        assertEquals(t.plusSeconds(2 * 86400), midnight.firstAfter(t.plusSeconds(25 * 3600), utc));
        CalendarRule noon = CalendarRule.daily(LocalTime.NOON);
        assertEquals(t.plusSeconds(12 * 3600), noon.firstAfter(t, utc));
        assertEquals(t.plusSeconds(12 * 3600), noon.firstAfter(t.plusSeconds(12 * 3600 - 1), utc));
        assertEquals(t.plusSeconds(36 * 3600), noon.firstAfter(t.plusSeconds(12 * 3600), utc));
        assertEquals(t.plusSeconds(36 * 3600), noon.firstAfter(t.plusSeconds(13 * 3600), utc));
    }
}
