#!/usr/bin/env python3
"""Open a generated report.html in headless Chromium and check it as a reader would see it.

Checks: every <img> loads (complete, non-zero natural size); every relative link, stylesheet and
image points at an existing file; every #fragment link has a target; nothing points at the
network (http:, https:, //host); no console errors, uncaught exceptions or failed loads; on a
phone-sized viewport (390 px) the page does not scroll sideways (wide tables scroll in their own
box). Screenshots of the top of the page and of the first results table (desktop and phone) go to
a temporary folder, whose path is printed. Exit status 0 when everything passes, 1 otherwise.

Talks to Chromium over the DevTools protocol with a minimal WebSocket client from the standard
library, so nothing beyond Debian's `chromium` package is needed (see scripts/check-html).
"""
import base64
import html.parser
import json
import os
import re
import select
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.parse
import urllib.request


class DevTools:
    """A WebSocket connection to one page target, speaking CDP (JSON messages with ids)."""

    def __init__(self, ws_url):
        parsed = urllib.parse.urlparse(ws_url)
        self.sock = socket.create_connection((parsed.hostname, parsed.port), timeout=30)
        key = base64.b64encode(os.urandom(16)).decode()
        request = (f"GET {parsed.path} HTTP/1.1\r\nHost: {parsed.hostname}:{parsed.port}\r\n"
                   "Upgrade: websocket\r\nConnection: Upgrade\r\n"
                   f"Sec-WebSocket-Key: {key}\r\nSec-WebSocket-Version: 13\r\n\r\n")
        self.sock.sendall(request.encode())
        response = b""
        while b"\r\n\r\n" not in response:
            response += self.sock.recv(4096)
        head, self.buffer = response.split(b"\r\n\r\n", 1)
        if b" 101 " not in head.split(b"\r\n")[0]:
            raise RuntimeError(f"WebSocket handshake failed: {head[:200]!r}")
        self.next_id = 0
        self.events = []

    def _read_exact(self, n):
        while len(self.buffer) < n:
            chunk = self.sock.recv(1 << 20)
            if not chunk:
                raise RuntimeError("DevTools connection closed")
            self.buffer += chunk
        data, self.buffer = self.buffer[:n], self.buffer[n:]
        return data

    def _send(self, text):
        payload = text.encode()
        header = bytearray([0x81])  # FIN + text frame
        mask = os.urandom(4)
        n = len(payload)
        if n < 126:
            header.append(0x80 | n)
        elif n < 1 << 16:
            header.append(0x80 | 126)
            header += n.to_bytes(2, "big")
        else:
            header.append(0x80 | 127)
            header += n.to_bytes(8, "big")
        masked = bytes(b ^ mask[i % 4] for i, b in enumerate(payload))
        self.sock.sendall(bytes(header) + mask + masked)

    def _receive(self):
        message = b""
        while True:
            first, second = self._read_exact(2)
            n = second & 0x7F
            if n == 126:
                n = int.from_bytes(self._read_exact(2), "big")
            elif n == 127:
                n = int.from_bytes(self._read_exact(8), "big")
            payload = self._read_exact(n)
            opcode = first & 0x0F
            if opcode == 0x8:
                raise RuntimeError("DevTools connection closed")
            if opcode in (0x9, 0xA):  # ping/pong: ignore
                continue
            message += payload
            if first & 0x80:
                return json.loads(message)

    def call(self, method, **params):
        self.next_id += 1
        my_id = self.next_id
        self._send(json.dumps({"id": my_id, "method": method, "params": params}))
        while True:
            message = self._receive()
            if message.get("id") == my_id:
                if "error" in message:
                    raise RuntimeError(f"{method}: {message['error']}")
                return message.get("result", {})
            if "method" in message:
                self.events.append(message)

    def wait_for(self, event, timeout=30):
        deadline = time.time() + timeout
        for message in self.events:
            if message.get("method") == event:
                return message
        while time.time() < deadline:
            message = self._receive()
            self.events.append(message)
            if message.get("method") == event:
                return message
        raise RuntimeError(f"timed out waiting for {event}")

    def drain(self, seconds):
        """Collects the events that arrive within `seconds`."""
        end = time.time() + seconds
        while time.time() < end:
            if not self.buffer and not select.select([self.sock], [], [], max(0, end - time.time()))[0]:
                break
            self.events.append(self._receive())


def find_chromium():
    for name in ("chromium", "chromium-browser", "google-chrome"):
        path = shutil.which(name)
        if path:
            return path
    sys.exit("check-html: chromium not found (Debian: apt-get install chromium)")


def start_browser(profile_dir):
    args = [find_chromium(), "--headless=new", "--no-sandbox", "--disable-gpu", "--no-first-run",
            "--disable-background-networking", "--disable-component-update", "--disable-sync",
            "--allow-file-access-from-files", "--hide-scrollbars", "--remote-debugging-port=0",
            f"--user-data-dir={profile_dir}", "about:blank"]
    process = subprocess.Popen(args, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    deadline = time.time() + 60
    while time.time() < deadline:
        line = process.stderr.readline()
        match = re.search(r"DevTools listening on (ws://\S+)", line)
        if match:
            return process, match.group(1)
        if process.poll() is not None:
            break
    process.kill()
    sys.exit("check-html: chromium did not start")


def page_websocket(browser_ws):
    port = urllib.parse.urlparse(browser_ws).port
    with urllib.request.urlopen(f"http://127.0.0.1:{port}/json/list") as response:
        targets = json.load(response)
    pages = [t for t in targets if t.get("type") == "page"]
    if not pages:
        raise RuntimeError("no page target")
    return pages[0]["webSocketDebuggerUrl"]


PAGE_FACTS_JS = r"""
(() => {
  const attr = (sel, name) => [...document.querySelectorAll(sel)].map(e => e.getAttribute(name));
  return {
    brokenImages: [...document.images].filter(i => !(i.complete && i.naturalWidth > 0)).map(i => i.getAttribute('src')),
    imageCount: document.images.length,
    urls: [].concat(attr('a[href]', 'href'), attr('img[src]', 'src'), attr('link[href]', 'href'),
                    attr('script[src]', 'src'), attr('source[src]', 'src')),
    ids: [...document.querySelectorAll('[id]')].map(e => e.id),
    scrollWidth: document.documentElement.scrollWidth,
    innerWidth: window.innerWidth,
    figures: document.querySelectorAll('figure').length,
    tables: document.querySelectorAll('table').length,
  };
})()
"""


def check_urls(facts, html_path):
    problems = []
    folder = os.path.dirname(html_path)
    ids = set(facts["ids"])
    for url in sorted(set(u for u in facts["urls"] if u is not None)):
        parsed = urllib.parse.urlparse(url)
        if parsed.scheme or url.startswith("//"):
            problems.append(f"link leaves the folder or needs the network: {url}")
        elif url.startswith("#"):
            if urllib.parse.unquote(url[1:]) not in ids:
                problems.append(f"link to a missing anchor: {url}")
        elif url.startswith("/"):
            problems.append(f"absolute path (breaks when published): {url}")
        else:
            target = os.path.normpath(os.path.join(folder, urllib.parse.unquote(parsed.path)))
            if not os.path.exists(target):
                problems.append(f"broken relative link: {url}")
            if parsed.fragment and parsed.path in ("", os.path.basename(html_path)) and parsed.fragment not in ids:
                problems.append(f"link to a missing anchor: {url}")
    return problems


class SourceCounts(html.parser.HTMLParser):
    """What the HTML source itself declares: images, figures, tables and distinct link targets."""

    def __init__(self):
        super().__init__()
        self.images, self.figures, self.tables, self.urls, self.image_sources = 0, 0, 0, set(), []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        self.images += tag == "img"
        self.figures += tag == "figure"
        self.tables += tag == "table"
        if tag == "img" and attrs.get("src"):
            self.image_sources.append(attrs["src"])
        for tag_name, attr in (("a", "href"), ("img", "src"), ("link", "href"), ("script", "src"), ("source", "src")):
            if tag == tag_name and attrs.get(attr) is not None:
                self.urls.add(attrs[attr])


def count_problems(facts, html_path):
    """The counts the browser saw must be the ones the source declares, and every figure that
    summary.json (beside the report) lists must be shown."""
    problems = []
    source = SourceCounts()
    with open(html_path, encoding="utf-8") as f:
        source.feed(f.read())
    seen = {"images": facts["imageCount"], "figures": facts["figures"], "tables": facts["tables"],
            "links": len(set(u for u in facts["urls"] if u is not None))}
    declared = {"images": source.images, "figures": source.figures, "tables": source.tables, "links": len(source.urls)}
    for name in seen:
        if seen[name] != declared[name]:
            problems.append(f"the browser counts {seen[name]} {name}, the HTML source {declared[name]}")
    if declared["figures"] == 0 or declared["images"] == 0:
        problems.append("no figures or images at all")
    summary = os.path.join(os.path.dirname(html_path), "summary.json")
    if os.path.exists(summary):
        with open(summary, encoding="utf-8") as f:
            listed = [figure["file"] for figure in json.load(f).get("figures", [])]
        if len(listed) != declared["figures"]:
            problems.append(f"summary.json lists {len(listed)} figures, the report shows {declared['figures']}")
        for file in listed:
            if not any(urllib.parse.unquote(src).split("#")[0] == file for src in source.image_sources):
                problems.append(f"figure {file} (listed in summary.json) is not shown")
    return problems, declared


def console_problems(events):
    problems = []
    urls = {e["params"]["requestId"]: e["params"]["request"]["url"]
            for e in events if e.get("method") == "Network.requestWillBeSent"}
    for event in events:
        method, params = event.get("method"), event.get("params", {})
        if method == "Runtime.consoleAPICalled" and params.get("type") in ("error", "assert"):
            text = " ".join(str(a.get("value", a.get("description", ""))) for a in params.get("args", []))
            problems.append(f"console error: {text}")
        elif method == "Runtime.exceptionThrown":
            problems.append(f"uncaught exception: {params['exceptionDetails'].get('text')}")
        elif method == "Log.entryAdded" and params["entry"].get("level") == "error":
            problems.append(f"browser error: {params['entry'].get('text')} {params['entry'].get('url', '')}".strip())
        elif method == "Network.loadingFailed" and not params.get("canceled"):
            problems.append(f"failed load: {params.get('errorText')} {urls.get(params.get('requestId'), '')}".strip())
    return problems


def load(tools, url, width, height, mobile):
    tools.call("Emulation.setDeviceMetricsOverride", width=width, height=height,
               deviceScaleFactor=2 if mobile else 1, mobile=mobile)
    tools.events.clear()
    tools.call("Page.navigate", url=url)
    tools.wait_for("Page.loadEventFired")
    tools.drain(0.5)
    result = tools.call("Runtime.evaluate", expression=PAGE_FACTS_JS, returnByValue=True)
    return result["result"]["value"]


def screenshot_at(tools, selector, path):
    """A screenshot with the first element matching `selector` scrolled to the top, if any."""
    found = tools.call("Runtime.evaluate", returnByValue=True, expression=(
        f"(() => {{ const e = document.querySelector({json.dumps(selector)}); "
        "if (e) { e.scrollIntoView(); return true; } return false; })()"))["result"]["value"]
    if found:
        tools.drain(0.2)
        screenshot(tools, path)
    return found


def screenshot(tools, path):
    data = tools.call("Page.captureScreenshot", format="png")["data"]
    with open(path, "wb") as f:
        f.write(base64.b64decode(data))


def main():
    html_path = os.path.abspath(sys.argv[1] if len(sys.argv) > 1 else "out/report.html")
    if not os.path.isfile(html_path):
        sys.exit(f"check-html: {html_path} does not exist (run `swift run report` first)")
    shots = tempfile.mkdtemp(prefix="check-html-")
    profile = tempfile.mkdtemp(prefix="check-html-profile-")
    browser, browser_ws = start_browser(profile)
    problems = []
    try:
        tools = DevTools(page_websocket(browser_ws))
        for domain in ("Page", "Runtime", "Log", "Network"):
            tools.call(f"{domain}.enable")
        url = "file://" + urllib.parse.quote(html_path)

        desktop = load(tools, url, 1280, 900, mobile=False)
        problems += [f"image does not load: {src}" for src in desktop["brokenImages"]]
        problems += check_urls(desktop, html_path)
        counted, declared = count_problems(desktop, html_path)
        problems += counted
        problems += console_problems(tools.events)
        screenshot(tools, os.path.join(shots, "desktop.png"))
        screenshot_at(tools, "table.grid", os.path.join(shots, "desktop-table.png"))

        phone = load(tools, url, 390, 844, mobile=True)
        if phone["scrollWidth"] > phone["innerWidth"] + 1:
            problems.append(f"on a 390 px phone the page is {phone['scrollWidth']} px wide (scrolls sideways)")
        problems += console_problems(tools.events)
        screenshot(tools, os.path.join(shots, "phone.png"))
        screenshot_at(tools, "table.grid", os.path.join(shots, "phone-table.png"))
    finally:
        browser.terminate()
        try:
            browser.wait(timeout=10)
        except subprocess.TimeoutExpired:
            browser.kill()
        shutil.rmtree(profile, ignore_errors=True)

    print(f"check-html: {html_path}")
    print(f"  {desktop['imageCount']} images, {desktop['figures']} figures, {desktop['tables']} tables, "
          f"{len(set(desktop['urls']))} distinct links (the source declares {declared['images']}, "
          f"{declared['figures']}, {declared['tables']}, {declared['links']})")
    print(f"  screenshots: {shots}/ ({', '.join(sorted(os.listdir(shots)))})")
    for problem in dict.fromkeys(problems):
        print(f"  PROBLEM: {problem}")
    print("  passed" if not problems else f"  failed: {len(set(problems))} problem(s)")
    sys.exit(1 if problems else 0)


if __name__ == "__main__":
    main()
