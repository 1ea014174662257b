"""The reference a user would otherwise pick: the seed's OpenCV path, in one Python process.

imdecode -> bitwise_not -> count (the processor's mask rule: every inverted channel >= 128) -> imencode
at JPEG quality 90, in a loop over the same file for a time budget. Prints one JSON line: images,
seconds, CPU milliseconds and peak RSS of this process. The benchmark starts one per core, as a user
would run it. Usage: python3 opencv_path.py <jpeg file> <seconds>
"""

import json
import resource
import sys
import time

import cv2
import numpy as np


def process(data: np.ndarray) -> tuple[int, int]:
    image = cv2.imdecode(data, cv2.IMREAD_COLOR)
    inverted = cv2.bitwise_not(image)
    foreground = cv2.countNonZero(cv2.inRange(inverted, (128, 128, 128), (255, 255, 255)))
    ok, encoded = cv2.imencode(".jpg", inverted, [cv2.IMWRITE_JPEG_QUALITY, 90])
    if not ok:
        raise RuntimeError("imencode failed")
    return foreground, len(encoded)


def main() -> None:
    path, seconds = sys.argv[1], float(sys.argv[2])
    cv2.setNumThreads(1)  # one process per core: each keeps to its own
    with open(path, "rb") as file:
        data = np.frombuffer(file.read(), dtype=np.uint8)
    process(data)  # warm-up
    images = 0
    output_bytes = 0
    cpu_before = time.process_time()
    started = time.perf_counter()
    while time.perf_counter() - started < seconds:
        _, size = process(data)
        output_bytes += size
        images += 1
    elapsed = time.perf_counter() - started
    cpu_ms = (time.process_time() - cpu_before) * 1000
    peak_kib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    print(json.dumps({
        "images": images,
        "seconds": round(elapsed, 2),
        "cpuMs": round(cpu_ms),
        "peakRssMiB": round(peak_kib / 1024),
        "outputBytesAvg": output_bytes // max(images, 1),
        "opencv": cv2.__version__,
    }))


if __name__ == "__main__":
    main()
