"""Peak memory of a fresh process: source code that the measured process runs itself.

Not `resource.getrusage(...).ru_maxrss` on Linux: it survives fork and exec, so a process started
from a large pytest process reports the parent's size (in the full suite a read of a 20 kB file
"peaked" at 430 MB). VmHWM in /proc/self/status belongs to the new program only. Windows has no
`resource` module: there GetProcessMemoryInfo gives the peak working set.
"""

PEAK_KB_SOURCE = '''
def peak_kb():
    """This process's peak resident memory (working set on Windows) in KB."""
    import sys

    if sys.platform.startswith("linux"):
        with open("/proc/self/status", encoding="ascii") as status:
            for line in status:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1])
    if sys.platform == "win32":
        import ctypes
        from ctypes import wintypes

        class Counters(ctypes.Structure):
            _fields_ = [("cb", wintypes.DWORD), ("PageFaultCount", wintypes.DWORD)] + [
                (name, ctypes.c_size_t)
                for name in ("PeakWorkingSetSize", "WorkingSetSize", "QuotaPeakPagedPoolUsage",
                             "QuotaPagedPoolUsage", "QuotaPeakNonPagedPoolUsage",
                             "QuotaNonPagedPoolUsage", "PagefileUsage", "PeakPagefileUsage")
            ]

        counters = Counters(cb=ctypes.sizeof(Counters))
        kernel32 = ctypes.WinDLL("kernel32")
        get_info = kernel32.K32GetProcessMemoryInfo
        get_info.argtypes = [wintypes.HANDLE, ctypes.POINTER(Counters), wintypes.DWORD]
        get_info(kernel32.GetCurrentProcess(), ctypes.byref(counters), counters.cb)
        return counters.PeakWorkingSetSize // 1024
    import resource

    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak // 1024 if sys.platform == "darwin" else peak  # bytes on macOS
'''
