package dev.baton.rotation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.baton.core.Loop;
import dev.baton.core.LoopClock;
import dev.baton.core.VirtualClock;
import java.io.IOException;
import java.nio.file.FileSystem;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Wall-clock steps of +1 h, -1 h, +1 day, -1 day at random (seeded) moments over most of a year,
 * DST changes included. Checked: no local date is rotated twice, and no date the wall clock
 * reached is left without a rotation once the policy has had its hour to notice a step.
 */
class DailyWallClockStepsTest {
    private static final Duration[] STEPS = {Duration.ofHours(1), Duration.ofHours(-1), Duration.ofDays(1), Duration.ofDays(-1)};

    private final FileSystem fs = Fixtures.jimfs();
    private final Path log = fs.getPath("/logs/steps.log");

    @AfterEach
    void closeFileSystem() throws IOException {
        fs.close();
    }

    @ParameterizedTest(name = "{0}, seed {1}")
    @CsvSource({
            "America/New_York, 1", "America/New_York, 2", "Europe/London, 3", "Australia/Lord_Howe, 4",
            "America/Havana, 5", "America/Sao_Paulo, 6", "Pacific/Apia, 7", "UTC, 8",
    })
    void randomStepsNeitherRepeatNorSkipADate(ZoneId zone, long seed) {
        LocalDateTime start = LocalDateTime.of(2011, 3, 1, 12, 0);
        VirtualClock clock = VirtualClock.of(start, zone);
        Random random = new Random(seed);
        List<LocalDate> rotated = new ArrayList<>();
        List<String> violations = new ArrayList<>();
        long[] lastStep = {Long.MIN_VALUE / 2};
        int[] steps = {0};
        try (Loop loop = Loop.create(clock)) {
            RotationPolicy.daily(log, 5).withListener(event -> {
                LocalDate date = event.instant().atZone(zone).toLocalDate();
                if (!rotated.isEmpty() && !date.isAfter(rotated.get(rotated.size() - 1))) {
                    violations.add("rotated " + date + " after " + rotated.get(rotated.size() - 1));
                }
                // With no step in the last hour, a rotation is exactly at the start of its date.
                if (clock.nanoTime() - lastStep[0] > Duration.ofHours(1).toNanos()
                        && !event.instant().equals(date.atStartOfDay(zone).toInstant())) {
                    violations.add("rotation at " + event.instant() + " is not the start of " + date);
                }
                rotated.add(date);
            }).start(loop);
            loop.spawn("steps", () -> {
                for (;;) {
                    Loop.sleep(Duration.ofMinutes(60 + random.nextInt(72 * 60)));
                    clock.stepWall(STEPS[random.nextInt(STEPS.length)]);
                    lastStep[0] = clock.nanoTime();
                    steps[0]++;
                }
            });
            loop.spawn("probe", () -> {
                // Every hour, 17 minutes past the policy's wakes: once an hour has passed since
                // the last step, the date on the wall clock has been rotated (or a later one has).
                LoopClock c = Loop.current().clock();
                Loop.sleep(Duration.ofMinutes(17));
                for (;;) {
                    LocalDate today = c.instant().atZone(zone).toLocalDate();
                    boolean settled = c.nanoTime() - lastStep[0] > Duration.ofHours(1).toNanos();
                    LocalDate last = rotated.isEmpty() ? null : rotated.get(rotated.size() - 1);
                    if (settled && today.isAfter(start.toLocalDate()) && (last == null || last.isBefore(today))) {
                        violations.add("at " + c.instant() + " the last rotation was for " + last);
                    }
                    Loop.sleep(Duration.ofHours(1));
                }
            });
            loop.runFor(Duration.ofDays(300));
        }
        assertEquals(List.of(), violations);
        assertTrue(steps[0] > 100, "steps taken: " + steps[0]);
        assertTrue(rotated.size() > 250, "rotations: " + rotated.size());
    }
}
