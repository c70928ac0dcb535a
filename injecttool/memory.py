"""Peak memory of this process, for the benchmarks."""

import resource
from pathlib import Path


def peak_rss_mb() -> float:
    """This process's own peak resident memory, in MB.

    Linux carries ru_maxrss across fork and exec, so a child started by a big parent would
    report the parent's peak; VmHWM belongs to the process's own memory map.
    """
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
