"""Checks of HTML timeline pages in headless chromium, for test_html.sh (untimed; the timings
are bench/bench_html.py's). Prints what failed and exits 1.

  browser_check.py long PAGE TMP     a page whose run's rows are data: few rows in the DOM,
                                     and links, keys, hover, find and scrolling reveal the right ones
  browser_check.py hostile PAGE TMP  a page of hostile values: nothing ran, no console message,
                                     the values shown as text
"""
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from headless import Browser  # noqa: E402

# The most rows a long run may have in the DOM: the view and a few either side.
MAX_ROWS = 400


def fail(message):
    print(f"FAIL: {message}", file=sys.stderr)
    sys.exit(1)


def expect(condition, message):
    if not condition:
        fail(message)


def rendered(page, selector):
    return page.eval(f"document.querySelectorAll('section.run:not(.hidden) {selector}').length")


def settle(page):
    """Two animation frames: the scroll handler's render has run."""
    page.eval("new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)))", True)


def check_long(page):
    steps = page.eval("+document.querySelector('section.run:not(.hidden)').dataset.steps")
    expect(steps > 2000, f"the page has {steps} steps: not a long run")
    rows = rendered(page, "tr.step")
    expect(0 < rows <= MAX_ROWS, f"{rows} step rows in the DOM of {steps}; expected 1..{MAX_ROWS}")
    expect(page.eval("document.querySelector('section.run:not(.hidden) tr.step').dataset.step")
           == "0", "the first row shown is not step 0")
    reads = rendered(page, "li.read")
    expect(0 < reads <= MAX_ROWS, f"{reads} read rows in the DOM; expected 1..{MAX_ROWS}")

    # The jump link reveals the first bad read, which names its first step.
    page.eval("document.querySelector('a.jump').click()")
    href = page.eval("document.querySelector('a.jump').getAttribute('href')")
    read = page.eval(f"(() => {{ const r = document.getElementById({href[1:]!r});"
                     " return r && [r.dataset.verdict, r.dataset.step, r.classList.contains('selected'),"
                     " r.querySelector('li.damage[data-kind=missing]') !== null]; })()")
    expect(read is not None, f"the jump to {href} did not render that read")
    verdict, bad_step, is_selected, has_missing = read
    expect(verdict == "wrong" and is_selected and has_missing,
           f"the first bad read is shown as {read}, not selected, wrong, with missing entries")
    expect(page.eval(f"(() => {{ const r = document.getElementById({href[1:]!r}).getBoundingClientRect();"
                     " return r.top >= 0 && r.bottom <= innerHeight; })()"),
           "the first bad read is not in view after the jump")

    # Its step link reveals that step's row in the timeline, marked as where a bad read began.
    page.eval(f"document.getElementById({href[1:]!r}).querySelector('a').click()")
    settle(page)
    row = page.eval(f"(() => {{ const r = document.querySelector('section.run:not(.hidden) tr.step.selected');"
                    " return r && [r.dataset.step, r.classList.contains('bad-start')]; })()")
    expect(row == [bad_step, True], f"after the step link the selected row is {row}, not [{bad_step}, True]")
    rows = rendered(page, "tr.step")
    expect(rows <= MAX_ROWS, f"{rows} step rows in the DOM after the jump")

    # Keyboard: j selects the next step; hover shows a step's state without selecting it.
    page.call("Input.dispatchKeyEvent", {"type": "keyDown", "key": "j", "code": "KeyJ", "text": "j"})
    settle(page)
    now = page.eval("document.querySelector('section.run:not(.hidden) tr.step.selected').dataset.step")
    expect(now == str(int(bad_step) + 1), f"j moved the selection to {now}, not {int(bad_step) + 1}")
    hover = page.eval("(() => { const r = document.querySelector('section.run:not(.hidden) tr.step:not(.selected)');"
                      " r.dispatchEvent(new MouseEvent('mouseover', {bubbles: true}));"
                      " return [r.dataset.step, document.getElementById('selected').textContent]; })()")
    expect(hover[1].startswith(f"step {hover[0]} ") and "seen=" in hover[1],
           f"hovering step {hover[0]} shows {hover[1]!r}")

    # Scrolling to the end renders the last rows.
    page.eval("(() => { const s = document.querySelector('section.run:not(.hidden) .scroller');"
              " s.scrollTop = s.scrollHeight; })()")
    settle(page)
    expect(page.eval(f"document.getElementById(document.querySelector('section.run:not(.hidden)').id"
                     f" + '-step-{steps - 1}') !== null"), "scrolling to the end did not render the last step")
    expect(rendered(page, "tr.step") <= MAX_ROWS, "too many rows after scrolling to the end")

    # The find box: a step number, then text found after the selection.
    for query, want in ((str(steps // 2), f"step {steps // 2}"), ("flush.trim", "step ")):
        page.eval(f"(() => {{ const b = document.querySelector('section.run:not(.hidden) input.find');"
                  f" b.value = {query!r};"
                  " b.dispatchEvent(new KeyboardEvent('keydown', {key: 'Enter', bubbles: true})); })()")
        found = page.eval("document.querySelector('section.run:not(.hidden) .found').textContent")
        expect(found.startswith(want), f"finding {query!r} says {found!r}")
        point = page.eval("document.querySelector('section.run:not(.hidden) tr.step.selected').dataset.point")
        expect(query != "flush.trim" or point == "flush.trim", f"finding flush.trim selected a {point} step")


def check_hostile(page):
    expect(page.eval("window.hostile === undefined"), "a script from the trace ran")
    expect(page.eval("document.querySelector('img, iframe, object, embed, [onerror]') === null"),
           "the trace's text became an element")
    expect(page.eval("document.querySelectorAll('script').length")
           == page.eval("document.querySelectorAll('script[type=\"application/json\"]').length + 1"),
           "the page has scripts other than its own and its data")
    text = page.eval("document.body.innerText")
    expect("\ufffd\ufffd\ufffd</script><script>window.hostile=2</script>\"'<img" in text,
           "the hostile value is not shown as text")


def main():
    if len(sys.argv) != 4 or sys.argv[1] not in ("long", "hostile"):
        fail(f"usage: {sys.argv[0]} long|hostile PAGE TMP")
    kind, page_path, tmp = sys.argv[1:]
    with Browser(tmp) as browser:
        page = browser.open("file://" + os.path.abspath(page_path))
        (check_long if kind == "long" else check_hostile)(page)
        problems = page.problems()
        expect(not problems, f"console messages or exceptions: {problems}")
    print(f"{kind} page checks passed")


if __name__ == "__main__":
    main()
