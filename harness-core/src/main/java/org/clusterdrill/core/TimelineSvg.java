package org.clusterdrill.core;

import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * Draws a drill's timeline as inline SVG: one lane per phase with a bar for each time it ran,
 * a lane of numbered event markers, the recovery window and a time axis. Sizes are in SVG user
 * units, and the drawing scales to the page width.
 */
final class TimelineSvg {

    private static final double WIDTH = 1000;
    private static final double LABEL_WIDTH = 96;
    private static final double RIGHT_MARGIN = 16;
    private static final double CHART_WIDTH = WIDTH - LABEL_WIDTH - RIGHT_MARGIN;
    private static final double RECOVERY_ROW = 28;
    private static final double LANE_HEIGHT = 30;
    private static final double BAR_HEIGHT = 18;
    private static final double EVENT_LANE_HEIGHT = 44;
    private static final double AXIS_HEIGHT = 26;
    private static final double MARKER_RADIUS = 8;
    // An estimate of the width of one character at the 12-unit font size, for placing labels.
    private static final double CHARACTER_WIDTH = 6.8;
    private static final long[] TICK_STEPS_MILLIS = {1, 2, 5, 10, 20, 50, 100, 200, 500, 1_000, 2_000, 5_000, 10_000,
            15_000, 30_000, 60_000, 120_000, 300_000, 600_000, 900_000, 1_800_000, 3_600_000, 7_200_000};
    private static final int MAX_TICKS = 10;

    private static final Map<Phase, String> PHASE_COLORS = new EnumMap<>(Map.of(
            Phase.START, "#8c959f",
            Phase.SEED, "#2da44e",
            Phase.BACKUP, "#0969da",
            Phase.DESTROY, "#bc4c00",
            Phase.RESTORE, "#8250df",
            Phase.CONVERGE, "#bf3989",
            Phase.VERIFY, "#1b7c83"));
    private static final String FAILED_COLOR = "#cf222e";

    private final Drill drill;
    private final Html html;
    private final Instant origin;
    private final long totalMillis;

    private TimelineSvg(Drill drill, Html html) {
        this.drill = drill;
        this.html = html;
        this.origin = DrillJsonReport.startedAt(drill);
        Instant end = Stream.concat(drill.phases().stream().map(PhaseRecord::endedAt), drill.events().stream().map(DrillEvent::at))
                .max(Instant::compareTo).orElse(origin);
        this.totalMillis = Math.max(1, Duration.between(origin, end).toMillis());
    }

    /** Appends the timeline of the drill, or nothing when it recorded no phase and no event. */
    static void render(Drill drill, Html html) {
        if (drill.phases().isEmpty() && drill.events().isEmpty()) {
            return;
        }
        new TimelineSvg(drill, html).render();
    }

    /** Returns the drill's events sorted by instant, as the timeline numbers them. */
    static List<DrillEvent> numberedEvents(Drill drill) {
        return drill.events().stream().sorted(Comparator.comparing(DrillEvent::at)).toList();
    }

    private void render() {
        List<Phase> lanes = Stream.of(Phase.values()).filter(p -> drill.phases().stream().anyMatch(r -> r.phase() == p)).toList();
        List<DrillEvent> events = numberedEvents(drill);
        double lanesTop = RECOVERY_ROW;
        double eventsTop = lanesTop + lanes.size() * LANE_HEIGHT;
        double axisTop = eventsTop + (events.isEmpty() ? 0 : EVENT_LANE_HEIGHT);
        double height = axisTop + AXIS_HEIGHT;

        html.raw("<svg class=\"timeline\" xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 ").number(WIDTH).raw(" ").number(height)
                .raw("\" role=\"img\" aria-label=\"Timeline of the drill's phases and events\">\n");
        drawLaneBackgrounds(lanes, events.isEmpty() ? 0 : 1, lanesTop);
        drawAxis(lanesTop, axisTop);
        drawRecoveryWindow(lanesTop, axisTop);
        for (int i = 0; i < lanes.size(); i++) {
            drawPhaseLane(lanes.get(i), lanesTop + i * LANE_HEIGHT);
        }
        if (!events.isEmpty()) {
            drawEvents(events, lanesTop, eventsTop);
        }
        html.raw("</svg>\n");
    }

    private void drawLaneBackgrounds(List<Phase> lanes, int eventLanes, double top) {
        for (int i = 0; i < lanes.size(); i++) {
            double y = top + i * LANE_HEIGHT;
            if (i % 2 == 0) {
                rect(0, y, WIDTH, LANE_HEIGHT, "#f6f8fa", null);
            }
            text(8, y + LANE_HEIGHT / 2 + 4, "start", null, lanes.get(i).label());
        }
        if (eventLanes > 0) {
            double y = top + lanes.size() * LANE_HEIGHT;
            text(8, y + EVENT_LANE_HEIGHT / 2 + 4, "start", null, "events");
        }
    }

    private void drawAxis(double lanesTop, double axisTop) {
        long step = tickStep();
        html.raw("<g class=\"axis\">\n");
        line(LABEL_WIDTH, axisTop, WIDTH - RIGHT_MARGIN, axisTop, "#8c959f", null);
        for (long tick = 0; tick <= totalMillis; tick += step) {
            double x = x(tick);
            line(x, lanesTop, x, axisTop, "#d0d7de", "2 3");
            line(x, axisTop, x, axisTop + 4, "#8c959f", null);
            String anchor = tick == 0 ? "start" : "middle";
            text(x, axisTop + 17, anchor, null, tick == 0 ? "0" : "+" + ReportFormat.duration(Duration.ofMillis(tick)));
        }
        html.raw("</g>\n");
    }

    private long tickStep() {
        for (long step : TICK_STEPS_MILLIS) {
            if (totalMillis / step <= MAX_TICKS) {
                return step;
            }
        }
        long largest = TICK_STEPS_MILLIS[TICK_STEPS_MILLIS.length - 1];
        return largest * (totalMillis / largest / MAX_TICKS + 1);
    }

    private void drawRecoveryWindow(double lanesTop, double axisTop) {
        Optional<Duration> recovery = drill.recoveryTime();
        Optional<Instant> disaster = drill.phases().stream().filter(p -> p.phase() == Phase.DESTROY)
                .map(PhaseRecord::startedAt).min(Instant::compareTo);
        if (recovery.isEmpty() || disaster.isEmpty()) {
            return;
        }
        double start = x(disaster.get());
        double end = x(disaster.get().plus(recovery.get()));
        rect(start, lanesTop, Math.max(end - start, 1), axisTop - lanesTop, "#0969da", "0.08");
        double bracketY = RECOVERY_ROW - 6;
        line(start, bracketY, end, bracketY, "#0969da", null);
        line(start, bracketY - 5, start, bracketY + 5, "#0969da", null);
        line(end, bracketY - 5, end, bracketY + 5, "#0969da", null);
        String label = "recovery " + ReportFormat.duration(recovery.get());
        double half = label.length() * CHARACTER_WIDTH / 2;
        double center = Math.min(Math.max((start + end) / 2, LABEL_WIDTH + half), WIDTH - RIGHT_MARGIN - half);
        text(center, bracketY - 5, "middle", null, label);
    }

    private void drawPhaseLane(Phase phase, double top) {
        double barTop = top + (LANE_HEIGHT - BAR_HEIGHT) / 2;
        for (PhaseRecord record : drill.phases()) {
            if (record.phase() != phase) {
                continue;
            }
            double start = x(record.startedAt());
            double width = Math.max(x(record.endedAt()) - start, 2);
            String color = record.succeeded() ? PHASE_COLORS.get(phase) : FAILED_COLOR;
            String label = ReportFormat.duration(record.duration()) + (record.succeeded() ? "" : " failed");

            html.raw("<g>");
            html.raw("<title>").text(tooltip(record)).raw("</title>");
            rect(start, barTop, width, BAR_HEIGHT, color, null);
            double labelWidth = label.length() * CHARACTER_WIDTH + 8;
            double baseline = barTop + BAR_HEIGHT / 2 + 4;
            if (width >= labelWidth) {
                text(start + width / 2, baseline, "middle", "inside", label);
            } else if (start + width + 4 + labelWidth <= WIDTH) {
                text(start + width + 4, baseline, "start", null, label);
            } else {
                text(start - 4, baseline, "end", null, label);
            }
            html.raw("</g>\n");
        }
    }

    private String tooltip(PhaseRecord record) {
        return record.phase().label() + (record.succeeded() ? "" : " (failed)") + ": " + ReportFormat.duration(record.duration())
                + ", from +" + ReportFormat.duration(Duration.between(origin, record.startedAt()))
                + (record.detail().isEmpty() ? "" : ", " + record.detail());
    }

    private void drawEvents(List<DrillEvent> events, double lanesTop, double eventsTop) {
        // Two rows of markers, so events close in time do not cover each other's numbers.
        double[] rowCenters = {eventsTop + 13, eventsTop + 31};
        double[] lastX = {Double.NEGATIVE_INFINITY, Double.NEGATIVE_INFINITY};
        for (int i = 0; i < events.size(); i++) {
            DrillEvent event = events.get(i);
            double x = x(event.at());
            int row = lastX[0] + 2 * MARKER_RADIUS + 2 <= x ? 0 : (lastX[1] + 2 * MARKER_RADIUS + 2 <= x ? 1 : 0);
            lastX[row] = x;
            String color = DrillEvent.FAULT.equals(event.kind()) ? FAILED_COLOR : "#59636e";

            html.raw("<g>");
            html.raw("<title>").text((i + 1) + ". " + event.kind() + ": " + event.description()
                    + (event.node().isEmpty() ? "" : " (" + event.node() + ")")).raw("</title>");
            line(x, lanesTop, x, rowCenters[row] - MARKER_RADIUS, color, "4 3");
            html.raw("<circle cx=\"").number(x).raw("\" cy=\"").number(rowCenters[row]).raw("\" r=\"").number(MARKER_RADIUS)
                    .raw("\" fill=\"").raw(color).raw("\"/>");
            text(x, rowCenters[row] + 4, "middle", "inside", String.valueOf(i + 1));
            html.raw("</g>\n");
        }
    }

    private double x(Instant instant) {
        return x(Duration.between(origin, instant).toMillis());
    }

    private double x(long millisFromOrigin) {
        return LABEL_WIDTH + CHART_WIDTH * millisFromOrigin / totalMillis;
    }

    private void rect(double x, double y, double width, double height, String fill, String opacity) {
        html.raw("<rect x=\"").number(x).raw("\" y=\"").number(y).raw("\" width=\"").number(width).raw("\" height=\"").number(height)
                .raw("\" fill=\"").raw(fill).raw("\"");
        if (opacity != null) {
            html.raw(" fill-opacity=\"").raw(opacity).raw("\"");
        }
        html.raw("/>");
    }

    private void line(double x1, double y1, double x2, double y2, String stroke, String dashes) {
        html.raw("<line x1=\"").number(x1).raw("\" y1=\"").number(y1).raw("\" x2=\"").number(x2).raw("\" y2=\"").number(y2)
                .raw("\" stroke=\"").raw(stroke).raw("\"");
        if (dashes != null) {
            html.raw(" stroke-dasharray=\"").raw(dashes).raw("\"");
        }
        html.raw("/>");
    }

    private void text(double x, double y, String anchor, String cssClass, String content) {
        html.raw("<text x=\"").number(x).raw("\" y=\"").number(y).raw("\" text-anchor=\"").raw(anchor).raw("\"");
        if (cssClass != null) {
            html.raw(" class=\"").raw(cssClass).raw("\"");
        }
        html.raw(">").text(content).raw("</text>");
    }
}
