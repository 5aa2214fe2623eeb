package org.clusterdrill.bench;

import java.io.IOException;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * The JVM's peak memory: the resident set's high-water mark from {@code /proc/self/status} (Linux
 * only) and the sum of the heap pools' peak usage from their MXBeans.
 *
 * @param peakResidentKib VmHWM in KiB, or -1 where /proc/self/status is missing
 * @param peakHeapBytes sum of each heap pool's peak usage; pools peak at different times, so this
 *     is an upper bound of the heap's peak
 * @param maxHeapBytes the heap's maximum size, set by -Xmx or the JVM's default
 */
record JvmMemory(long peakResidentKib, long peakHeapBytes, long maxHeapBytes) {

    static JvmMemory read() {
        long peakHeap = 0;
        for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
            if (pool.getType() == MemoryType.HEAP && pool.getPeakUsage() != null) {
                peakHeap += pool.getPeakUsage().getUsed();
            }
        }
        long maxHeap = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getMax();
        return new JvmMemory(readPeakResidentKib(), peakHeap, maxHeap);
    }

    private static long readPeakResidentKib() {
        try {
            List<String> status = Files.readAllLines(Path.of("/proc/self/status"));
            return status.stream().filter(line -> line.startsWith("VmHWM:"))
                    .map(line -> Long.parseLong(line.replaceAll("[^0-9]", ""))).findFirst().orElse(-1L);
        } catch (IOException e) {
            return -1;
        }
    }

    void print(PrintStream out) {
        out.println();
        out.println("JVM memory over every harness run");
        out.printf("  peak resident set (VmHWM): %s%n",
                peakResidentKib < 0 ? "unknown, /proc/self/status is missing" : String.format("%.1f MiB", peakResidentKib / 1024.0));
        out.printf("  peak heap used (sum of pool peaks): %.1f MiB of a %.0f MiB maximum%n",
                peakHeapBytes / 1048576.0, maxHeapBytes / 1048576.0);
    }
}
