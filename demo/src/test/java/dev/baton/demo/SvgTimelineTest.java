package dev.baton.demo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** --format svg: the README's New York three days, read back from the picture's marks. */
class SvgTimelineTest {
    private static final Pattern LINE = Pattern.compile("<line class=\"(\\w+)\"(?: data-path=\"([^\"]*)\")? data-instant=\"([^\"]+)\" x1=\"([\\d.]+)\"");

    private record Mark(String kind, String path, String instant, double x) {
    }

    private static List<Mark> marks(String svg) {
        List<Mark> marks = new ArrayList<>();
        Matcher m = LINE.matcher(svg);
        while (m.find()) {
            marks.add(new Mark(m.group(1), m.group(2), m.group(3), Double.parseDouble(m.group(4))));
        }
        return marks;
    }

    @Test
    void newYorkThreeDaysShowThreeMidnightsOneFallBackAndTheDailyRotationsOnTheMidnights() {
        Cli cli = Cli.run("--simulate", "3d", "--zone", "America/New_York", "--start", "2024-11-02T12:00", "--format", "svg");
        assertEquals(0, cli.code(), cli.err());
        assertTrue(cli.out().startsWith("<svg xmlns=\"http://www.w3.org/2000/svg\""), cli.out().substring(0, 80));
        List<Mark> marks = marks(cli.out());
        List<Mark> midnights = marks.stream().filter(k -> k.kind().equals("midnight")).toList();
        assertEquals(List.of("2024-11-03T04:00:00Z", "2024-11-04T05:00:00Z", "2024-11-05T05:00:00Z"),
                midnights.stream().map(Mark::instant).toList());
        List<Mark> dst = marks.stream().filter(k -> k.kind().equals("dst")).toList();
        assertEquals(List.of("2024-11-03T06:00:00Z"), dst.stream().map(Mark::instant).toList());
        assertTrue(cli.out().contains("02:00 -04:00 \u2192 01:00 -05:00"), "the change is labelled with both offsets");
        List<Mark> daily = marks.stream().filter(k -> k.kind().equals("rotation") && k.path().endsWith("/file4")).toList();
        assertEquals(midnights.stream().map(Mark::x).toList(), daily.stream().map(Mark::x).toList(),
                "file4's rotations sit on the local midnights");
        // The fall-back day is 25 hours wide, the next one 24: the axis is real time.
        double day25 = midnights.get(1).x() - midnights.get(0).x();
        double day24 = midnights.get(2).x() - midnights.get(1).x();
        assertEquals(25.0 / 24.0, day25 / day24, 0.01);
        assertTrue(dst.get(0).x() > midnights.get(0).x() && dst.get(0).x() < midnights.get(1).x());
        assertTrue(marks.stream().noneMatch(k -> k.kind().equals("failed")));
        assertTrue(cli.err().contains("summary: rotations per file:"), "the summary goes to stderr, stdout is the picture");
    }
}
