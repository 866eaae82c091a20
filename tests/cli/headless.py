"""Headless chromium driven over the DevTools protocol on a pipe (--remote-debugging-pipe:
JSON messages ending in NUL on fds 3 and 4), with nothing but the standard library.

    with Browser(tmp_dir) as browser:
        page = browser.open("file:///.../page.html")   # waits until body[data-ready]
        page.eval("document.title")
        page.problems()   # console messages and uncaught exceptions so far

Used by tests/cli/browser_check.py and bench/bench_html.py. Every host name is unresolvable,
so a page that tried to fetch anything could not."""
import json
import os
import subprocess
import time


class BrowserError(Exception):
    pass


class Page:
    def __init__(self, browser, session):
        self.browser = browser
        self.session = session

    def call(self, method, params=None):
        return self.browser.call(method, params, self.session)

    def eval(self, expression, await_promise=False):
        result = self.call("Runtime.evaluate", {"expression": expression, "returnByValue": True,
                                                "awaitPromise": await_promise})
        if "exceptionDetails" in result:
            raise BrowserError(f"{expression[:80]!r} threw: {result['exceptionDetails']}")
        return result["result"].get("value")

    def wait_for(self, expression, timeout):
        deadline = time.monotonic() + timeout
        while not self.eval(expression):
            if time.monotonic() > deadline:
                raise BrowserError(f"timed out after {timeout} s waiting for {expression}")
            time.sleep(0.05)

    def problems(self):
        return [event for event in self.browser.events
                if event.get("sessionId") == self.session and event["method"] in (
                    "Runtime.consoleAPICalled", "Runtime.exceptionThrown", "Log.entryAdded")]


class Browser:
    def __init__(self, tmp_dir, width=1280, height=900):
        self.events = []
        self.next_id = 0
        to_browser_r, self.to_browser = os.pipe()
        self.from_browser, from_browser_w = os.pipe()

        def wire_fds():
            # Through fresh copies, so that neither pipe end is overwritten before it is copied;
            # dup2 makes 3 and 4 inheritable (os.pipe's ends are not).
            read_end, write_end = os.dup(to_browser_r), os.dup(from_browser_w)
            os.dup2(read_end, 3)
            os.dup2(write_end, 4)

        self.process = subprocess.Popen(
            ["chromium", "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
             "--remote-debugging-pipe", f"--user-data-dir={tmp_dir}/chromium-profile",
             f"--window-size={width},{height}", "--host-resolver-rules=MAP * ~NOTFOUND"],
            preexec_fn=wire_fds, close_fds=False, stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
            env=dict(os.environ, HOME=tmp_dir))
        os.close(to_browser_r)
        os.close(from_browser_w)
        self.buffer = b""

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()

    def close(self):
        try:
            self.call("Browser.close")
        except (BrowserError, OSError):
            pass
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        os.close(self.to_browser)
        os.close(self.from_browser)

    def _read_message(self):
        while b"\0" not in self.buffer:
            chunk = os.read(self.from_browser, 1 << 20)
            if not chunk:
                raise BrowserError("chromium closed its end of the pipe")
            self.buffer += chunk
        message, self.buffer = self.buffer.split(b"\0", 1)
        return json.loads(message)

    def call(self, method, params=None, session=None):
        self.next_id += 1
        message = {"id": self.next_id, "method": method, "params": params or {}}
        if session:
            message["sessionId"] = session
        os.write(self.to_browser, json.dumps(message).encode() + b"\0")
        while True:
            reply = self._read_message()
            if reply.get("id") == self.next_id:
                if "error" in reply:
                    raise BrowserError(f"{method}: {reply['error']}")
                return reply.get("result", {})
            if "method" in reply:
                self.events.append(reply)

    def open(self, url, timeout=120):
        """A new tab on url, once its body has data-ready (the page's script ran to its end)."""
        target = self.call("Target.createTarget", {"url": "about:blank"})["targetId"]
        session = self.call("Target.attachToTarget",
                            {"targetId": target, "flatten": True})["sessionId"]
        page = Page(self, session)
        for domain in ("Runtime", "Log", "Page"):
            page.call(f"{domain}.enable")
        page.call("Page.navigate", {"url": url})
        page.wait_for("document.body !== null && document.body.dataset.ready === 'yes'", timeout)
        return page
