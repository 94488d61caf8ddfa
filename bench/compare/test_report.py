#!/usr/bin/env python3
"""Self-test of compare.py's report: renders the markdown, the JSON and both
PNG charts from a small synthetic result (no servers, no generators) into a
temporary directory, under the build directory's names and under a dated
stem as bench/results holds them, and checks what was written: every file
present, PNGs with a valid signature and header, the markdown linking the
charts it sits beside, the JSON the same data.

Fails when matplotlib cannot be imported (compare.py exits naming
python3-matplotlib): the charts are part of the report.

Usage: test_report.py (ctest: compare-report, label tools)
"""

import datetime
import importlib.util
import json
import os
import platform
import re
import struct
import sys
import tempfile
import unittest

HERE = os.path.dirname(os.path.abspath(__file__))
sys.dont_write_bytecode = True  # no __pycache__ in the source tree
spec = importlib.util.spec_from_file_location("compare", os.path.join(HERE, "compare.py"))
compare = importlib.util.module_from_spec(spec)
spec.loader.exec_module(compare)

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


def server(rps, p50, p99):
    return {"rps": rps, "rps_min": rps * 0.9, "rps_max": rps * 1.1, "p50": p50, "avg": p50 * 1.1,
            "p95": (p50 + p99) / 2, "p99": p99, "max": p99 * 3, "cpu_us": 2.5,
            "gen_cpu_us": 1.6, "gen_busy": 0.97}


def row(load, test, gen, cairn_rps, redis_rps, p50=0.4, p99=1.2):
    return {"load": load, "test": test, "generator": gen, "runs": 3,
            "cairn": server(cairn_rps, p50, p99), "redis": server(redis_rps, p50 * 1.3, p99 * 1.5),
            "ratio": cairn_rps / redis_rps}


def synthetic(quick):
    """A result with every section compare.py writes; mixed has no
    redis-benchmark row (a gap in the chart, not an error)."""
    rows = [row("original", "SET", "kv-bench", 612_000, 498_000, 1.1, 3.4),
            row("original", "SET", "redis-benchmark", 580_000, 470_000, 1.2, 3.6),
            row("p1", "GET", "kv-bench", 61_000, 55_000, 0.6, 2.2),
            row("p1", "GET", "redis-benchmark", 52_000, 50_000, 0.7, 2.5),
            row("mixed", "MIXED 1:10", "kv-bench", 410_000, 300_000, 1.4, 4.1)]
    return {
        "meta": {"date": "2026-12-04 09:00 UTC", "quick": quick, "runs": 3, "seconds": 120.0,
                 "build_type": "Release", "redis_version": "Redis server v=7.0.15",
                 "machine": {"host": "selftest", "kernel": "6.1", "cpu": "Synthetic CPU",
                             "cores": 2, "load_avg": [0.5, 0.4, 0.3]}},
        "rows": rows,
        "rss": {"keys": 1000,
                "cairn": {"rss_before": 2**20, "rss_after": 2**21, "per_key": 48.0, "dbsize": "1000"},
                "redis": {"rss_before": 2**20, "rss_after": 2**22, "per_key": 80.0,
                          "dbsize": "1000"}},
        "skipped": ["aof-always: skipped -- synthetic"],
        "fdatasync_ms": [0.8, 2.1],
        "agreement": [{"load": "original", "test": "SET", "kv_bench": 498_000,
                       "redis_benchmark": 470_000, "ratio": 498 / 470, "kv_bench_busy": 0.95,
                       "redis_benchmark_busy": 0.7}],
        "micro": {"context": {}, "rows": [{"name": "BM_EngineSet", "ns": 95.0, "unit": "ns",
                                           "items_per_second": 1.05e7, "allocs": 1.0,
                                           "mallocs": 0.0}]},
        "inproc": {"SET": 6.1e6, "GET": 7.4e6},
        "aof_lifecycle": None,
    }


class ReportTest(unittest.TestCase):
    def setUp(self):
        self.tmp = tempfile.TemporaryDirectory(prefix="cairn-report-test-")
        self.dir = self.tmp.name

    def tearDown(self):
        self.tmp.cleanup()

    def check_png(self, path):
        with open(path, "rb") as f:
            data = f.read()
        self.assertEqual(data[:8], PNG_SIGNATURE, f"{path}: not a PNG")
        length, chunk, width, height = struct.unpack(">I4sII", data[8:24])
        self.assertEqual((length, chunk), (13, b"IHDR"), f"{path}: no IHDR chunk first")
        self.assertGreater(width, 300, path)
        self.assertGreater(height, 200, path)
        self.assertEqual(data[-8:-4], b"IEND", f"{path}: truncated")

    def check_report(self, names, results):
        for key, name in names.items():
            self.assertTrue(os.path.isfile(os.path.join(self.dir, name)), f"{key}: {name} missing")
        self.check_png(os.path.join(self.dir, names["throughput"]))
        self.check_png(os.path.join(self.dir, names["latency"]))
        with open(os.path.join(self.dir, names["md"])) as f:
            md = f.read()
        # Every image the markdown shows sits beside it, and both charts are shown.
        images = re.findall(r"!\[[^\]]*\]\(([^)]+)\)", md)
        self.assertEqual(sorted(images), sorted([names["throughput"], names["latency"]]))
        # Figures with their targets beside them, and the agreement section.
        self.assertIn("| original | SET | kv-bench | 612000 | 498000 | **1.23** | >= 2.0 |", md)
        self.assertIn("| mixed | MIXED 1:10 | kv-bench | 410000 | 300000 | **1.37** | (none) |", md)
        self.assertIn("## kv-bench and redis-benchmark against the same redis-server", md)
        self.assertIn("Ratio kv-server / redis-server: **0.60** (target <= 0.7)", md)
        # 1.6 us of generator CPU per request: a 625000 req/s ceiling, and
        # 625000 / 498000 the highest ratio possible.
        self.assertIn("| original | SET | kv-bench | 1.60 / 1.60 | 0.97 / 0.97 | 625000 | 1.26 | "
                      "the generator |", md)
        with open(os.path.join(self.dir, names["json"])) as f:
            self.assertEqual(json.load(f), json.loads(json.dumps(results)))
        return md

    def test_build_directory_report(self):
        results = synthetic(quick=False)
        compare.write_report(self.dir, compare.BUILD_NAMES, results)
        self.check_report(compare.BUILD_NAMES, results)
        self.assertEqual(sorted(os.listdir(self.dir)), sorted(compare.BUILD_NAMES.values()))

    def test_generator_limit(self):
        r = row("p1", "SET", "redis-benchmark", 90_000, 80_000)
        r["cairn"]["gen_cpu_us"], r["cairn"]["gen_busy"] = 10.0, 0.5
        g = compare.generator_limit(r)
        self.assertAlmostEqual(g["ceiling"], 100_000)
        self.assertAlmostEqual(g["max_ratio"], 1.25)
        self.assertFalse(g["bound"])  # half a core: the servers set the rate
        r["cairn"]["gen_busy"] = 0.95
        self.assertTrue(compare.generator_limit(r)["bound"])
        del r["cairn"]["gen_cpu_us"]  # a result from before the figure existed
        self.assertIsNone(compare.generator_limit(r))

    def test_report_without_throughput_loads(self):
        results = synthetic(quick=False)  # as --loads rss leaves it
        results["rows"], results["agreement"] = [], []
        compare.write_report(self.dir, compare.BUILD_NAMES, results)
        self.check_png(os.path.join(self.dir, "throughput.png"))
        self.check_png(os.path.join(self.dir, "latency.png"))

    def test_saved_full_run_has_dated_files_and_latest(self):
        results = synthetic(quick=False)
        compare.save_results(self.dir, results)
        stem = datetime.datetime.utcnow().strftime("%Y-%m-%d") + "-" + platform.node()
        md = self.check_report(compare.stem_names(stem), results)
        with open(os.path.join(self.dir, "latest.md")) as f:
            self.assertEqual(f.read(), md)

    def test_saved_quick_run_is_marked_and_leaves_latest(self):
        results = synthetic(quick=True)
        compare.save_results(self.dir, results)
        stem = datetime.datetime.utcnow().strftime("%Y-%m-%d") + "-" + platform.node() + "-quick"
        self.check_report(compare.stem_names(stem), results)
        self.assertFalse(os.path.exists(os.path.join(self.dir, "latest.md")))


if __name__ == "__main__":
    sys.exit(unittest.main(verbosity=2))
