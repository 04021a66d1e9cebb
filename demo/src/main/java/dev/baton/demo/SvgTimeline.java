package dev.baton.demo;

import dev.baton.rotation.RotationEvent;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.zone.ZoneOffsetTransition;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeSet;

/**
 * A simulated timeline as an SVG picture: one row per file, time from left to right, a tick per
 * rotation (red for a failure), a grey line at each local midnight of the zone and an orange one
 * at each change of its UTC offset (DST), labelled. Rows with more rotations than pixels draw one
 * tick per pixel. Elements carry classes ({@code midnight}, {@code dst}, {@code rotation},
 * {@code failed}) and {@code data-instant} attributes, so a test can read the picture back.
 */
final class SvgTimeline {
    private static final int WIDTH = 1200;
    private static final int LEFT = 300;
    private static final int RIGHT = 30;
    private static final int TOP = 70;
    private static final int ROW = 34;
    private static final DateTimeFormatter HOUR = DateTimeFormatter.ofPattern("uuuu-MM-dd HH:mm xxx", Locale.ROOT);

    private final List<RotationEvent> events;
    private final ZoneId zone;
    private final Instant start;
    private final Instant end;

    SvgTimeline(List<RotationEvent> events, ZoneId zone, Instant start, Instant end) {
        this.events = events;
        this.zone = zone;
        this.start = start;
        this.end = end;
    }

    /** The x coordinate of {@code t}, to a tenth of a pixel. */
    double x(Instant t) {
        double span = Duration.between(start, end).toMillis();
        double at = Duration.between(start, t).toMillis();
        return Math.round((LEFT + (WIDTH - LEFT - RIGHT) * at / span) * 10) / 10.0;
    }

    String render() {
        Map<Path, List<RotationEvent>> rows = new LinkedHashMap<>();
        for (RotationEvent e : events) {
            rows.computeIfAbsent(e.path(), p -> new ArrayList<>()).add(e);
        }
        int height = TOP + ROW * Math.max(1, rows.size()) + 40;
        StringBuilder b = new StringBuilder(64 * 1024);
        b.append("<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"").append(WIDTH).append("\" height=\"").append(height)
                .append("\" viewBox=\"0 0 ").append(WIDTH).append(' ').append(height).append("\" font-family=\"sans-serif\" font-size=\"12\">\n");
        b.append("<style>.midnight{stroke:#999;stroke-dasharray:4 3}.dst{stroke:#e67e00;stroke-width:2}")
                .append(".rotation{stroke:#1f5fbf}.failed{stroke:#d00;stroke-width:2}.label{fill:#333}</style>\n");
        b.append("<rect width=\"100%\" height=\"100%\" fill=\"white\"/>\n");
        b.append("<text x=\"10\" y=\"20\" font-size=\"14\" font-weight=\"bold\">rotations from ").append(esc(HOUR.format(start.atZone(zone))))
                .append(" to ").append(esc(HOUR.format(end.atZone(zone)))).append(" (").append(esc(zone.getId())).append(")</text>\n");
        b.append("<text x=\"10\" y=\"38\" class=\"label\">grey dashes: local midnights; orange: UTC offset changes (DST); blue ticks: rotations; red: failures</text>\n");
        int bottom = TOP + ROW * Math.max(1, rows.size());
        for (LocalDate d = start.atZone(zone).toLocalDate(); !d.atStartOfDay(zone).toInstant().isAfter(end); d = d.plusDays(1)) {
            Instant midnight = d.atStartOfDay(zone).toInstant();
            if (midnight.isBefore(start)) {
                continue;
            }
            double x = x(midnight);
            b.append("<line class=\"midnight\" data-instant=\"").append(midnight).append("\" x1=\"").append(x).append("\" y1=\"").append(TOP - 12)
                    .append("\" x2=\"").append(x).append("\" y2=\"").append(bottom).append("\"/>\n");
            b.append("<text class=\"label\" x=\"").append(x + 3).append("\" y=\"").append(TOP - 16).append("\">").append(d)
                    .append("</text>\n");
        }
        ZoneOffsetTransition t = zone.getRules().nextTransition(start.minusNanos(1));
        while (t != null && !t.getInstant().isAfter(end)) {
            double x = x(t.getInstant());
            ZoneOffset before = t.getOffsetBefore();
            ZoneOffset after = t.getOffsetAfter();
            b.append("<line class=\"dst\" data-instant=\"").append(t.getInstant()).append("\" x1=\"").append(x).append("\" y1=\"").append(TOP - 30)
                    .append("\" x2=\"").append(x).append("\" y2=\"").append(bottom + 10).append("\"/>\n");
            b.append("<text class=\"label\" fill=\"#e67e00\" x=\"").append(x + 3).append("\" y=\"").append(bottom + 24).append("\">")
                    .append(esc(t.getDateTimeBefore().toLocalTime() + " " + before + " \u2192 " + t.getDateTimeAfter().toLocalTime() + " " + after))
                    .append("</text>\n");
            t = zone.getRules().nextTransition(t.getInstant());
        }
        int row = 0;
        for (Map.Entry<Path, List<RotationEvent>> entry : rows.entrySet()) {
            int y = TOP + ROW * row + ROW / 2;
            long rotated = entry.getValue().stream().filter(e -> e.outcome() == RotationEvent.Outcome.ROTATED).count();
            b.append("<text class=\"label\" x=\"10\" y=\"").append(y + 4).append("\">").append(esc(shorten(entry.getKey().toString())))
                    .append(" (").append(rotated).append(")</text>\n");
            b.append("<line stroke=\"#ddd\" x1=\"").append(LEFT).append("\" y1=\"").append(y).append("\" x2=\"").append(WIDTH - RIGHT)
                    .append("\" y2=\"").append(y).append("\"/>\n");
            TreeSet<Double> drawn = new TreeSet<>();
            for (RotationEvent e : entry.getValue()) {
                boolean failed = e.hasError(); // a failed rotation, or a failed step after one
                if (!failed && e.outcome() != RotationEvent.Outcome.ROTATED) {
                    continue;
                }
                double x = x(e.instant());
                if (!failed && !drawn.add(Math.floor(x))) {
                    continue;
                }
                b.append("<line class=\"").append(failed ? "failed" : "rotation").append("\" data-path=\"").append(esc(entry.getKey().toString()))
                        .append("\" data-instant=\"").append(e.instant()).append("\" x1=\"").append(x).append("\" y1=\"").append(y - 10)
                        .append("\" x2=\"").append(x).append("\" y2=\"").append(y + 10).append("\"/>\n");
            }
            row++;
        }
        return b.append("</svg>\n").toString();
    }

    private static String shorten(String path) {
        return path.length() <= 40 ? path : "\u2026" + path.substring(path.length() - 39);
    }

    private static String esc(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}
