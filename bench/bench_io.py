#!/usr/bin/python3
"""Benchmark: one streaming pass over a zstd-compressed CSV computing size, line count and SHA-256 (the
dataset lineage digest) — `cogniforge data summarize` against the tools users reach for today.

Peers, measured in the same run on the same files:
  - python: zstandard.ZstdDecompressor().stream_reader + hashlib.sha256 + bytes.count(b"\\n"), 1 MiB blocks
  - shell:  zstd -dc FILE | sha256sum   (digest only: it does less work than we do)
Reports median wall time of N runs and the ratio peer/cogniforge. Usage: bench_io.py BUILD_DIR OUT_MARKDOWN
"""
import hashlib
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time

RUNS = 5


def median_time(fn, runs=RUNS):
    fn()  # warm the page cache
    times = []
    for _ in range(runs):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return statistics.median(times)


def python_peer(path):
    import zstandard

    h = hashlib.sha256()
    lines = size = 0
    with open(path, "rb") as f, zstandard.ZstdDecompressor().stream_reader(f) as r:
        while True:
            b = r.read(1 << 20)
            if not b:
                break
            h.update(b)
            lines += b.count(b"\n")
            size += len(b)
    return size, lines, h.hexdigest()


def main():
    build, out_md = sys.argv[1], sys.argv[2]
    root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    cli = os.path.join(build, "tools", "cogniforge")
    adult = os.path.join(root, "data", "adult", "adult-train.csv.zst")
    tmp = tempfile.mkdtemp(prefix="cf-bench-")
    big = os.path.join(tmp, "adult-x64.csv.zst")
    # 64 copies of Adult train (~254 MB decompressed), compressed once with the zstd CLI.
    raw = subprocess.run(["zstd", "-dc", adult], check=True, capture_output=True).stdout
    subprocess.run(["zstd", "-q", "-3", "-o", big], input=raw * 64, check=True)

    rows = []
    for label, path in (("Adult train (3.8 MiB)", adult), ("Adult train x64 (242 MiB)", big)):
        ours_out = json.loads(subprocess.run([cli, "data", "summarize", "--json", path], check=True,
                                             capture_output=True).stdout)[0]
        size, lines, digest = python_peer(path)
        assert (size, lines, digest) == (ours_out["bytes"], ours_out["lines"], ours_out["sha256"]), "results differ"
        t_ours = median_time(lambda: subprocess.run([cli, "data", "summarize", path], check=True,
                                                    stdout=subprocess.DEVNULL))
        t_py = median_time(lambda: python_peer(path))
        t_sh = median_time(lambda: subprocess.run("zstd -dc '%s' | sha256sum" % path, shell=True, check=True,
                                                  stdout=subprocess.DEVNULL))
        mbps = size / t_ours / 1e6
        rows.append((label, t_ours, t_py, t_sh, mbps))
        print("%-26s cogniforge %.3f s (%.0f MB/s)  python %.3f s (x%.2f)  zstd|sha256sum %.3f s (x%.2f)"
              % (label, t_ours, mbps, t_py, t_py / t_ours, t_sh, t_sh / t_ours))
    os.remove(big)
    os.rmdir(tmp)

    section = ["## data summarize: streaming decompress + line count + SHA-256", "",
               "`bench/bench_io.py` (run by `make bench`), median of %d runs after a warm-up, %s, %d cores. "
               "cogniforge is timed as a CLI process, start-up included; the python peer runs in-process "
               "(no interpreter start-up), so small inputs favour it. Ratio = peer time / cogniforge time "
               "(above 1: we are faster). cogniforge and the python peer agree on bytes, lines and digest (asserted each run)."
               % (RUNS, os.uname().machine, os.cpu_count()), "",
               "| input | cogniforge | throughput | python (zstandard+hashlib) | ratio | zstd -dc \\| sha256sum | ratio |",
               "|---|---|---|---|---|---|---|"]
    for label, t_ours, t_py, t_sh, mbps in rows:
        section.append("| %s | %.3f s | %.0f MB/s | %.3f s | %.2fx | %.3f s | %.2fx |"
                       % (label, t_ours, mbps, t_py, t_py / t_ours, t_sh, t_sh / t_ours))
    write_section(out_md, "data-summarize", "\n".join(section))


def write_section(path, key, body):
    """Replace the block between <!-- bench:KEY --> markers, keeping the rest of the file."""
    begin, end = "<!-- bench:%s -->" % key, "<!-- /bench:%s -->" % key
    text = open(path).read() if os.path.exists(path) else "# Benchmarks\n\n"
    block = "%s\n%s\n\n_Last run: %s_\n%s" % (begin, body, time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()), end)
    if begin in text:
        text = text[:text.index(begin)] + block + text[text.index(end) + len(end):]
    else:
        text = text.rstrip("\n") + "\n\n" + block + "\n"
    open(path, "w").write(text)


if __name__ == "__main__":
    main()
