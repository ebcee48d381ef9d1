#if canImport(Glibc)
import Glibc
#endif
import Foundation

/// The CPUs this process may run on: its affinity mask (`sched_getaffinity`), which `taskset`,
/// SLURM's `--cpus-per-task`, cgroup cpusets and container limits set, not the machine's count.
/// On a 64-core cluster node with 4 cores allotted this is 4, so neither the evaluation's workers
/// nor the network's OpenMP threads oversubscribe the allotment.
public enum AvailableCPUs {
    public static let count: Int = {
        #if os(Linux)
        // glibc's sched_getaffinity (declared only under _GNU_SOURCE, so not in the Glibc module).
        typealias GetAffinity = @convention(c) (Int32, Int, UnsafeMutableRawPointer) -> Int32
        var mask = [UInt64](repeating: 0, count: 16)   // 1024 CPUs
        if let symbol = dlsym(UnsafeMutableRawPointer(bitPattern: 0), "sched_getaffinity"),
           mask.withUnsafeMutableBytes({ unsafeBitCast(symbol, to: GetAffinity.self)(0, $0.count, $0.baseAddress!) }) == 0 {
            let count = mask.reduce(0) { $0 + $1.nonzeroBitCount }
            if count > 0 { return count }
        }
        #endif
        return max(1, ProcessInfo.processInfo.activeProcessorCount)
    }()
}
