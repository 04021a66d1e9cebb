package dev.baton.rotation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.baton.core.Loop;
import java.io.IOException;
import java.nio.file.FileSystem;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.zone.ZoneOffsetTransition;
import java.time.zone.ZoneRules;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The daily policy's promise as a property: in every zone, for every day of 2000-2030, exactly
 * one rotation per local date that exists, at its first instant. By default a sample of zones
 * (every 12th of the sorted IDs, plus the zones with odd days); {@code -Dbaton.allZones=true}
 * runs all of {@link ZoneId#getAvailableZoneIds()}.
 */
class DailyAllZonesTest {
    private static final LocalDate FIRST = LocalDate.of(2000, 1, 1);
    private static final LocalDate LAST = LocalDate.of(2030, 12, 31);
    /** Zones with skipped dates, midnight gaps and overlaps, half-hour shifts, big offsets. */
    private static final List<String> ALWAYS = List.of(
            "Pacific/Apia", "Pacific/Kiritimati", "Pacific/Chatham", "Australia/Lord_Howe", "America/Havana",
            "America/Sao_Paulo", "America/Santiago", "America/Asuncion", "Asia/Tehran", "Asia/Gaza",
            "Asia/Beirut", "Africa/Casablanca", "America/New_York", "Europe/London", "Pacific/Kwajalein",
            "America/Godthab", "Antarctica/Troll");

    private final FileSystem fs = Fixtures.jimfs();
    private final Path log = fs.getPath("/logs/zones.log");

    @AfterEach
    void closeFileSystem() throws IOException {
        fs.close();
    }

    static Stream<String> zones() {
        TreeSet<String> zones = new TreeSet<>();
        List<String> all = ZoneId.getAvailableZoneIds().stream().sorted().toList();
        if (Boolean.getBoolean("baton.allZones")) {
            zones.addAll(all);
        } else {
            for (int i = 0; i < all.size(); i += 12) {
                zones.add(all.get(i));
            }
            ALWAYS.stream().filter(ZoneId.getAvailableZoneIds()::contains).forEach(zones::add);
        }
        return zones.stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("zones")
    void oneRotationPerExistingLocalDateAtItsFirstInstant(String id) {
        ZoneId zone = ZoneId.of(id);
        Fixtures.Recorder recorder = new Fixtures.Recorder();
        try (Loop loop = Fixtures.virtualLoop(FIRST.minusDays(1).atTime(12, 0), zone)) {
            RotationPolicy.daily(log, 3).withListener(recorder).start(loop);
            loop.runUntil(LAST.atTime(12, 0).atZone(zone).toInstant());
        }

        List<Instant> expected = new ArrayList<>();
        for (LocalDate d = FIRST; !d.isAfter(LAST); d = d.plusDays(1)) {
            firstInstant(d, zone.getRules()).ifPresent(expected::add);
        }
        assertTrue(expected.size() >= 11_321, "at most a day or two of 2000-2030 is missing in any zone");
        assertEquals(expected, recorder.instants());
        for (Instant t : recorder.instants()) {
            // The property itself, independent of how the expectation was computed.
            LocalDate date = t.atZone(zone).toLocalDate();
            assertTrue(t.minusNanos(1).atZone(zone).toLocalDate().isBefore(date), () -> t + " is not the first instant of " + date);
        }
    }

    /**
     * The first instant whose local date is {@code date}, from the zone's transitions: midnight
     * if it is valid (the earlier of two if it repeats), else the end of the gap containing it,
     * if that end is still on {@code date}; empty if the whole date was skipped.
     */
    static Optional<Instant> firstInstant(LocalDate date, ZoneRules rules) {
        LocalDateTime midnight = date.atStartOfDay();
        List<ZoneOffset> offsets = rules.getValidOffsets(midnight);
        if (!offsets.isEmpty()) {
            return offsets.stream().map(midnight::toInstant).min(Instant::compareTo);
        }
        ZoneOffsetTransition gap = rules.getTransition(midnight);
        return gap.getDateTimeAfter().toLocalDate().equals(date) ? Optional.of(gap.getInstant()) : Optional.empty();
    }
}
