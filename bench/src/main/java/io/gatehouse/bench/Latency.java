package io.gatehouse.bench;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.HdrHistogram.ConcurrentHistogram;
import org.HdrHistogram.Histogram;

/**
 * A latency histogram and what the benchmark tables print from it: percentiles, max and mean in milliseconds.
 * Values are recorded from {@link System#nanoTime()} differences and kept in the histogram in {@code unit}
 * (microseconds for millisecond-scale work, nanoseconds where sub-microsecond steps matter), clamped to
 * {@code [0, highest]} so an outlier never throws. Every benchmark reads its numbers through here, so a
 * percentile means the same in every table. An empty histogram has NaN percentiles and mean, and a max of 0.
 */
final class Latency {

    private final Histogram histogram;
    private final TimeUnit unit;
    private final long highest;
    private final double unitsPerMilli;

    private Latency(Histogram histogram, TimeUnit unit) {
        this.histogram = histogram;
        this.unit = unit;
        this.highest = histogram.getHighestTrackableValue();
        this.unitsPerMilli = unit.convert(1, TimeUnit.MILLISECONDS);
    }

    /** For one thread, 3 significant digits. */
    static Latency of(TimeUnit unit, Duration highest) {
        return new Latency(new Histogram(unit.convert(highest), 3), unit);
    }

    /** Safe to record into from many threads at once, 3 significant digits. */
    static Latency concurrent(TimeUnit unit, Duration highest) {
        return new Latency(new ConcurrentHistogram(unit.convert(highest), 3), unit);
    }

    /** Records an elapsed time in nanoseconds; returns the value recorded, in this histogram's unit. */
    long record(long nanos) {
        long value = Math.clamp(unit.convert(nanos, TimeUnit.NANOSECONDS), 0, highest);
        histogram.recordValue(value);
        return value;
    }

    /** Adds every value of {@code other} (same unit): per-thread histograms merged after a run. */
    void add(Latency other) {
        if (other.unit != unit) {
            throw new IllegalArgumentException("Cannot add latencies kept in " + other.unit + " to latencies kept in " + unit);
        }
        histogram.add(other.histogram);
    }

    long count() {
        return histogram.getTotalCount();
    }

    /** The value at {@code percentile} (0-100) in ms; NaN when nothing was recorded. */
    double ms(double percentile) {
        return count() == 0 ? Double.NaN : histogram.getValueAtPercentile(percentile) / unitsPerMilli;
    }

    /** The largest value in ms (0 when nothing was recorded). */
    double maxMs() {
        return histogram.getMaxValue() / unitsPerMilli;
    }

    /** The mean in ms; NaN when nothing was recorded. */
    double meanMs() {
        return count() == 0 ? Double.NaN : histogram.getMean() / unitsPerMilli;
    }
}
