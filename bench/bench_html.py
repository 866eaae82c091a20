#!/usr/bin/env python3
"""How fast a long HTML timeline opens and scrolls in headless chromium (issue 18).

  bench/bench_html.py SHAPELOG TRACE [--strategy S] [--scrolls N]

Writes `shapelog replay TRACE --html` to a temporary file, loads it from file:// over the
DevTools pipe (tests/cli/headless.py) and prints: the page's size; the time until the page's
script has run (performance.now() at its end, which the page writes into body[data-ready-ms]);
the DOM's nodes, the JS heap and the memory (PSS) of all chromium processes then; the time of N
scripted scrolls to random rows, each until two animation frames later (the rows are in the
DOM and painted); and the time of the find box's jump to the middle step. TRACE is normally
bench_replay's 100k-step trace:  bench_replay --trace-out /tmp/generated.json
Targets, as ratios: ready within 2 s, a scroll within 50 ms (three frames at 60 Hz)."""
import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "tests", "cli"))
from headless import Browser  # noqa: E402

READY_TARGET_MS = 2000
SCROLL_TARGET_MS = 50

SCROLLS = """(async (n) => {
  const run = document.querySelector('section.run:not(.hidden)');
  const s = run.querySelector('.scroller');
  const frame = () => new Promise(r => requestAnimationFrame(r));
  let seed = 1;
  const random = () => (seed = (seed * 48271) %% 2147483647) / 2147483647;
  const work = [], frames = [];
  for (let i = 0; i < n; i++) {
    const t0 = performance.now();
    s.scrollTop = random() * (s.scrollHeight - s.clientHeight);
    run.stepList.render();          // what the scroll handler does in its frame
    void document.body.offsetHeight;  // and the layout that follows
    work.push(performance.now() - t0);
    await frame(); await frame();
    frames.push(performance.now() - t0);
  }
  return [work, frames];
})(%d)"""

FIND = """(async () => {
  const s = document.querySelector('section.run:not(.hidden)');
  const box = s.querySelector('input.find');
  const frame = () => new Promise(r => requestAnimationFrame(r));
  const t0 = performance.now();
  box.value = String(Math.floor(+s.dataset.steps / 2));
  box.dispatchEvent(new KeyboardEvent('keydown', {key: 'Enter', bubbles: true}));
  await frame(); await frame();
  return [performance.now() - t0, s.querySelector('tr.step.selected').dataset.step];
})()"""


def tree_pss_mb(pid):
    """Memory of pid and all its descendants, in MB: the sum of their PSS (each shared page
    counted once over the processes that share it, unlike RSS)."""
    children = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                with open(f"/proc/{entry}/stat") as f:
                    parent = int(f.read().rsplit(")", 1)[1].split()[1])
                children.setdefault(parent, []).append(int(entry))
            except OSError:
                pass
    total, todo = 0, [pid]
    while todo:
        p = todo.pop()
        todo.extend(children.get(p, []))
        try:
            with open(f"/proc/{p}/smaps_rollup") as f:
                total += next(int(line.split()[1]) for line in f if line.startswith("Pss:"))
        except (OSError, StopIteration):
            pass
    return total / 1024


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("shapelog")
    parser.add_argument("trace")
    parser.add_argument("--strategy", default="generation")
    parser.add_argument("--scrolls", type=int, default=50)
    args = parser.parse_args()

    with tempfile.TemporaryDirectory(prefix="bench_html.") as tmp:
        page_path = os.path.join(tmp, "page.html")
        t0 = time.monotonic()
        subprocess.run([args.shapelog, "replay", args.trace, "--strategy", args.strategy,
                        "--html", page_path], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                       check=False)
        write_s = time.monotonic() - t0
        size_mb = os.path.getsize(page_path) / 1e6
        with Browser(tmp) as browser:
            browser.call("Target.getTargets")  # chromium has started
            t0 = time.monotonic()
            page = browser.open("file://" + page_path)
            open_s = time.monotonic() - t0
            ready_ms = int(page.eval("document.body.dataset.readyMs"))
            steps = int(page.eval("document.querySelector('section.run').dataset.steps"))
            page.call("Performance.enable")
            metrics = {m["name"]: m["value"] for m in page.call("Performance.getMetrics")["metrics"]}
            pss_mb = tree_pss_mb(browser.process.pid)
            rows = page.eval("document.querySelectorAll('tr.step').length")
            work, frames = page.eval(SCROLLS % args.scrolls, True)
            find_ms, found = page.eval(FIND, True)
            problems = page.problems()

    print(f"trace: {args.trace}, strategy {args.strategy}: {steps} steps")
    print(f"page: {size_mb:.2f} MB, written by shapelog in {write_s:.2f} s")
    print(f"load: script done at {ready_ms} ms (page clock), {open_s:.2f} s from navigate to "
          f"data-ready (wall); ratio to the {READY_TARGET_MS} ms target: "
          f"{ready_ms / READY_TARGET_MS:.2f}")
    print(f"then: {int(metrics.get('Nodes', 0))} DOM nodes, {rows} step rows, JS heap "
          f"{metrics.get('JSHeapUsedSize', 0) / 1e6:.1f} MB, chromium's processes {pss_mb:.0f} MB (PSS)")
    print(f"{len(work)} scrolls to random rows: rendering the rows and layout took median "
          f"{statistics.median(work):.1f} ms, max {max(work):.1f} ms; until two frames later "
          f"(painted) median {statistics.median(frames):.1f} ms, max {max(frames):.1f} ms; "
          f"ratio of that max to the {SCROLL_TARGET_MS} ms target: "
          f"{max(frames) / SCROLL_TARGET_MS:.2f}")
    print(f"find box to step {found}: {find_ms:.1f} ms")
    if problems:
        print(f"console messages or exceptions: {problems}")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
