"""The lessons in a real JupyterLab, driven by headless Chromium.

What the other tests cannot see: that the widgets work in a browser (a slider move reaches
the kernel and the picture redraws) and that nbgrader's JupyterLab extension is there.

- A JupyterLab server is started on a free localhost port, with a random token, on a
  temporary copy of `lessons/` (plus `nbgrader_config.py`), with fresh settings,
  workspace and runtime folders; it is always stopped, kernels included.
- Each lesson that displays a node explorer (EXPLORER_LESSONS; one not generated yet is
  skipped) is opened and every cell is run from the Run menu: Run All Cells stops at the
  first error, which the student version has on purpose, so the run goes on with Run
  Selected Cell and All Below from the first cell that has not run. Then the explorer's
  `w1` slider is moved with the keyboard: its truth table must show the outputs for the
  new weight and its figure (the `img` in its Output widget) must change.
- A cell whose course check fails shows only the course's message (a red ✘ line and its
  hint): no traceback, no chained exception, no path into the package.
- nbgrader's lab extension: the "Nbgrader" menu (Assignment List, Course List,
  Formgrader, Create assignment), the Validate button in a notebook's toolbar, and the
  formgrader opening in a tab.

Needs Debian's Chromium (`apt-get install chromium`) and the `playwright` package, no
browser download. Skipped otherwise; set DLCOURSE_CHROMIUM to another browser binary
(or to a missing path to try the skip). On failure a screenshot, the page's HTML and the
server's log are kept in $DLCOURSE_BROWSER_ARTIFACTS (default: a new folder under the
system temp dir); the failure message names the folder.

Run only these:  .venv/bin/python -m pytest -m browser tests/test_browser.py
"""

from __future__ import annotations

import contextlib
import importlib.util
import math
import os
import re
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.slow]

ROOT = Path(__file__).resolve().parents[1]
LESSONS = ROOT / "lessons"
CHROMIUM = Path(os.environ.get("DLCOURSE_CHROMIUM", "/usr/bin/chromium"))
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]

# Lessons whose student version displays a `dlcourse.widgets.node_explorer`.
EXPLORER_LESSONS = ["00_start_here", "01_sigmoid_node"]

SERVER_START_S = 60     # the server answers /api/status
PAGE_LOAD_S = 60        # JupyterLab's shell and the notebook are on screen
RUN_S = 120             # every cell of a notebook has run
REDRAW_S = 30           # the figure follows a slider move

# The course's own JupyterLab defaults (what `make lab` and Binder install): no news or update
# pop-ups over the page. The test server gets them as its application settings, so the browser
# tests prove that they work; `test_no_news_popup_over_the_lesson` checks it on screen.
APP_SETTINGS = ROOT / "jupyterlab" / "overrides.json"


def _missing_requirement() -> str | None:
    if importlib.util.find_spec("playwright") is None:
        return "the playwright Python package is not installed (pip install playwright; no browser download needed)"
    if not CHROMIUM.is_file() or not os.access(CHROMIUM, os.X_OK):
        return f"no Chromium at {CHROMIUM} (as root: apt-get install chromium; or set DLCOURSE_CHROMIUM)"
    if importlib.util.find_spec("jupyterlab") is None:
        return f"jupyterlab is not installed in {sys.executable}"
    return None


@pytest.fixture(scope="module")
def requirements():
    reason = _missing_requirement()
    if reason:
        pytest.skip(reason)


@pytest.fixture(scope="module")
def artifacts() -> Path:
    """Where screenshots, page HTML and the server log go when a test fails (created on demand)."""
    base = os.environ.get("DLCOURSE_BROWSER_ARTIFACTS")
    return Path(base) if base else Path(tempfile.gettempdir()) / f"dlcourse-browser-{os.getpid()}"


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Lab:
    """A running JupyterLab server."""

    failed = False   # set when a test using it failed: its log then joins the artifacts

    def __init__(self, url: str, token: str, root: Path, log: Path):
        self.url, self.token, self.root, self.log = url, token, root, log

    def page_url(self, path: str = "") -> str:
        # `reset`: an empty workspace, not the tabs a previous test left open.
        return f"{self.url}/lab{'/tree/' + path if path else ''}?reset&token={self.token}"

    def log_tail(self, n: int = 4000) -> str:
        return self.log.read_text(errors="replace")[-n:] if self.log.is_file() else "(no log)"


@pytest.fixture(scope="module")
def lab(requirements, tmp_path_factory, artifacts):
    root = tmp_path_factory.mktemp("lab_root")
    home = tmp_path_factory.mktemp("lab_home")
    shutil.copytree(LESSONS, root / "lessons",
                    ignore=shutil.ignore_patterns(".ipynb_checkpoints", "__pycache__", "*.pyc"))
    shutil.copy2(ROOT / "nbgrader_config.py", root / "nbgrader_config.py")
    for sub in ("config", "runtime", "workspaces", "settings", "app-settings"):
        (home / sub).mkdir()
    shutil.copy2(APP_SETTINGS, home / "app-settings" / "overrides.json")

    port, token = _free_port(), secrets.token_hex(16)
    env = dict(os.environ)
    env.update({
        "DLCOURSE_DATA": str(ROOT / "data"),          # MNIST, wherever the copy lives
        "JUPYTER_CONFIG_DIR": str(home / "config"),   # no personal ~/.jupyter config
        "JUPYTER_RUNTIME_DIR": str(home / "runtime"),
        "PYTHONWARNINGS": "ignore",
    })
    env.pop("MPLBACKEND", None)
    env.pop("JUPYTER_TOKEN", None)
    cmd = [sys.executable, "-m", "jupyter", "lab", "--no-browser",
           "--ServerApp.ip=127.0.0.1", f"--ServerApp.port={port}", "--ServerApp.port_retries=0",
           f"--IdentityProvider.token={token}", f"--ServerApp.root_dir={root}",
           f"--LabApp.user_settings_dir={home / 'settings'}",
           f"--LabApp.app_settings_dir={home / 'app-settings'}",
           f"--LabApp.workspaces_dir={home / 'workspaces'}"]
    if hasattr(os, "geteuid") and os.geteuid() == 0:
        cmd.append("--allow-root")   # containers and CI runners
    log = home / "server.log"
    with open(log, "wb") as out:
        proc = subprocess.Popen(cmd, cwd=root, env=env, stdout=out, stderr=subprocess.STDOUT,
                                stdin=subprocess.DEVNULL, start_new_session=True)
    url = f"http://127.0.0.1:{port}"
    server = Lab(url, token, root, log)
    try:
        deadline = time.monotonic() + SERVER_START_S
        while True:
            if proc.poll() is not None:
                pytest.fail(f"JupyterLab exited with {proc.returncode}:\n{server.log_tail()}")
            try:
                with urllib.request.urlopen(f"{url}/api/status?token={token}", timeout=2) as r:
                    if r.status == 200:
                        break
            except (urllib.error.URLError, OSError):
                pass
            if time.monotonic() > deadline:
                pytest.fail(f"JupyterLab did not answer within {SERVER_START_S} s:\n{server.log_tail()}")
            time.sleep(0.3)
        yield server
    finally:
        _stop(proc)
        if log.is_file() and server.failed:
            artifacts.mkdir(parents=True, exist_ok=True)
            shutil.copy2(log, artifacts / "jupyterlab-server.log")


def _stop(proc: subprocess.Popen) -> None:
    """Stop the server (it shuts its kernels down), then whatever is left of its process group."""
    if proc.poll() is None:
        proc.send_signal(signal.SIGTERM)
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(timeout=5)
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(proc.pid, signal.SIGKILL)   # a kernel that outlived the server


@pytest.fixture(scope="module")
def browser(requirements, tmp_path_factory):
    from playwright.sync_api import sync_playwright

    profile = tmp_path_factory.mktemp("chromium_profile")
    with sync_playwright() as p:
        context = p.chromium.launch_persistent_context(
            str(profile), executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS,
            viewport={"width": 1500, "height": 1000}, service_workers="block")
        context.set_default_timeout(20_000)
        try:
            yield context
        finally:
            context.close()


@pytest.fixture
def page(browser, lab, artifacts, request):
    page = browser.new_page()
    console: list[str] = []
    page.on("console", lambda m: console.append(f"[{m.type}] {m.text}") if m.type in ("error", "warning") else None)
    page.on("pageerror", lambda e: console.append(f"[pageerror] {e}"))
    failed_before = request.session.testsfailed
    yield page
    if request.session.testsfailed > failed_before:   # this test's call just failed
        lab.failed = True
        artifacts.mkdir(parents=True, exist_ok=True)
        stem = re.sub(r"[^A-Za-z0-9_.-]+", "_", request.node.name)
        with contextlib.suppress(Exception):
            page.screenshot(path=str(artifacts / f"{stem}.png"), full_page=True)
        with contextlib.suppress(Exception):
            (artifacts / f"{stem}.html").write_text(page.content())
        (artifacts / f"{stem}.console.txt").write_text("\n".join(console))
        sys.stderr.write(f"\nbrowser test artifacts (screenshot, HTML, console, server log): {artifacts}\n")
    page.close()


# ----------------------------------------------------------------------------- helpers


def open_lab(page, lab: Lab, path: str = "") -> None:
    page.goto(lab.page_url(path), wait_until="domcontentloaded", timeout=PAGE_LOAD_S * 1000)
    page.locator("#jp-main-dock-panel").wait_for(timeout=PAGE_LOAD_S * 1000)
    page.locator("#jp-menu-panel .lm-MenuBar-item").first.wait_for(timeout=PAGE_LOAD_S * 1000)


def click_menu(page, menu: str, item: str) -> None:
    """Open a menu of the menu bar and click one of its items, both by their labels."""
    page.locator("#jp-menu-panel .lm-MenuBar-item", has_text=re.compile(rf"^{re.escape(menu)}$")).click()
    label = page.locator(".lm-Menu-itemLabel", has_text=re.compile(rf"^{re.escape(item)}$"))
    page.locator(".lm-Menu .lm-Menu-item", has=label).click()


NOTEBOOK = ".jp-NotebookPanel:not(.lm-mod-hidden)"

# State of the notebook on screen, read in one go: the kernel's status in the status bar,
# the toolbar's execution indicator and, per code cell, its prompt ("[ ]:", "[*]:", "[3]:"),
# whether it has source and the last line of an error it shows. textContent, not innerText:
# JupyterLab skips rendering off-screen cells, whose innerText is empty.
STATE_JS = """(sel) => {
  const panel = document.querySelector(sel);
  const status = [...document.querySelectorAll('.jp-StatusBar-TextItem')]
      .map(e => e.textContent.trim()).find(t => / \\| \\w+$/.test(t)) || '';
  const bug = panel && panel.querySelector('.jp-DebuggerBugButton');
  const cells = panel ? [...panel.querySelectorAll('.jp-CodeCell')].map(c => {
      const err = c.querySelector(".jp-OutputArea-output[data-mime-type='application/vnd.jupyter.stderr']");
      const lines = err ? err.textContent.trim().split('\\n') : [];
      return {prompt: (c.querySelector('.jp-InputPrompt')?.textContent || '').trim(),
              source: (c.querySelector('.cm-content')?.textContent || '').trim() !== '',
              error: lines.length ? lines[lines.length - 1].slice(0, 160) : null};
  }) : [];
  return {status, indicator: panel?.querySelector('.jp-Notebook-ExecutionIndicator')?.dataset.status || null,
          debugger_ready: !bug || bug.getAttribute('aria-disabled') === 'false', cells};
}"""


def notebook_state(page) -> dict:
    return page.evaluate(STATE_JS, NOTEBOOK)


def wait_kernel_idle(page, timeout_s: float) -> dict:
    """Wait until the notebook's kernel is started and idle, with no cell running or queued.

    Right after opening, the toolbar's indicator says "idle" while the status bar still says
    "No Kernel | Initializing": only the status bar's "<kernel> | Idle" (and the debugger
    button, enabled once the kernel has answered) tell that cells can run.
    """
    deadline = time.monotonic() + timeout_s
    idle_since = None
    state: dict = {}
    while time.monotonic() < deadline:
        state = notebook_state(page)
        idle = (state["status"].endswith("| Idle") and not state["status"].startswith("No Kernel")
                and state["indicator"] == "idle" and state["debugger_ready"]
                and not any(c["prompt"] == "[*]:" for c in state["cells"]))
        if idle:
            idle_since = idle_since or time.monotonic()
            if time.monotonic() - idle_since > 0.5:   # idle for a moment, not between two cells
                return state
        else:
            idle_since = None
        page.wait_for_timeout(150)
    raise AssertionError(f"the kernel was not idle after {timeout_s} s: status {state.get('status')!r}, "
                         f"prompts {[c['prompt'] for c in state.get('cells', [])]}")


def not_run(state: dict) -> list[int]:
    """Indices of the code cells with source that have not run."""
    return [i for i, c in enumerate(state["cells"]) if c["source"] and not re.fullmatch(r"\[\d+\]:", c["prompt"])]


def run_all_cells_past_errors(page) -> dict:
    """Run every code cell like a student would, from the Run menu.

    Run All Cells stops at the first error, and the student version raises
    NotImplementedError on purpose; so select the first cell that has not run and use
    Run Selected Cell and All Below, until every cell has run.
    """
    click_menu(page, "Run", "Run All Cells")
    state = wait_kernel_idle(page, RUN_S)
    for _ in range(len(state["cells"])):
        pending = not_run(state)
        if not pending:
            return state
        page.locator(NOTEBOOK).locator(".jp-CodeCell").nth(pending[0]).locator(".jp-InputPrompt").click()
        click_menu(page, "Run", "Run Selected Cell and All Below")
        state = wait_kernel_idle(page, RUN_S)
    raise AssertionError(f"cells that did not run: {not_run(state)}; prompts {[c['prompt'] for c in state['cells']]}")


def errors(state: dict) -> list[str]:
    return [f"code cell {i}: {c['error']}" for i, c in enumerate(state["cells"]) if c["error"]]


def node_explorer(notebook):
    """The first node explorer on the page: an HBox with a `w1` slider and an Output with an image."""
    page = notebook.page   # the `has` locators are relative to each candidate, so they come from the page
    w1 = page.locator(".widget-slider", has=page.locator(".widget-label", has_text=re.compile(r"^w1$")))
    return notebook.locator(".widget-hbox", has=w1).filter(has=page.locator(".widget-output img")).first


def slider(explorer, name: str):
    page = explorer.page
    return explorer.locator(".widget-slider", has=page.locator(".widget-label", has_text=re.compile(rf"^{name}$")))


def slider_value(explorer, name: str) -> float:
    text = slider(explorer, name).locator(".widget-readout").inner_text()
    return float(text.replace("\u2212", "-"))   # the readout writes a minus sign, not a hyphen


def table_rows(table) -> list[list[float]]:
    """The explorer's truth table as numbers: one row [x1, x2, output] per gate input."""
    rows = table.evaluate("t => [...t.querySelectorAll('tr')].slice(1).map("
                          "r => [...r.querySelectorAll('td')].slice(0, 3).map(d => d.textContent))")
    return [[float(v.replace("\u2212", "-")) for v in row] for row in rows]


def node_rows(explorer, rows: list[list[float]]) -> list[list[float]]:
    """[x1, x2, sigmoid(w1 x1 + w2 x2 + b)] for the inputs of `rows` and the sliders' values now."""
    w1, w2, b = (slider_value(explorer, n) for n in ("w1", "w2", "b"))
    return [[x1, x2, round(1 / (1 + math.exp(-(w1 * x1 + w2 * x2 + b))), 3)] for x1, x2, _ in rows]


def same_rows(a: list[list[float]], b: list[list[float]]) -> bool:
    """Equal tables, up to the 3 decimals the table shows."""
    return len(a) == len(b) == 4 and all(len(r) == len(q) and all(abs(x - y) <= 2e-3 for x, y in zip(r, q))
                                         for r, q in zip(a, b))


# ----------------------------------------------------------------------------- tests


@pytest.mark.parametrize("lesson", EXPLORER_LESSONS)
def test_node_explorer_redraws_when_a_slider_moves(page, lab, lesson):
    if not (lab.root / "lessons" / lesson / f"{lesson}.ipynb").is_file():
        pytest.skip(f"lessons/{lesson}/{lesson}.ipynb does not exist (yet)")
    open_lab(page, lab, f"lessons/{lesson}/{lesson}.ipynb")
    notebook = page.locator(NOTEBOOK).first
    notebook.locator(".jp-CodeCell").first.wait_for(timeout=PAGE_LOAD_S * 1000)
    wait_kernel_idle(page, PAGE_LOAD_S)

    state = run_all_cells_past_errors(page)
    assert not not_run(state), f"code cells that did not run: {not_run(state)}"

    explorer = node_explorer(notebook)
    try:
        explorer.wait_for(timeout=REDRAW_S * 1000)
    except Exception as e:
        raise AssertionError(f"no node explorer (w1 slider next to a plotted Output) on the page; "
                             f"errors: {errors(state)}") from e
    explorer.scroll_into_view_if_needed()
    img = explorer.locator(".widget-output img").first
    table = explorer.locator(".widget-html table").first
    src_before, rows_before = img.get_attribute("src"), table_rows(table)
    assert src_before and src_before.startswith("data:image/png"), f"unexpected figure: {src_before!r:.80}"
    w1_before = slider_value(explorer, "w1")
    assert same_rows(rows_before, node_rows(explorer, rows_before)), (
        f"the truth table {rows_before} does not show the outputs of the sliders' node")

    handle = slider(explorer, "w1").locator(".noUi-handle")
    handle.focus()
    for _ in range(5):                                  # 5 steps of 0.1
        handle.press("ArrowRight")
    w1_after = slider_value(explorer, "w1")
    assert w1_after == pytest.approx(w1_before + 0.5), f"the w1 slider did not move with the keyboard: {w1_before} -> {w1_after}"

    # The kernel redraws: the table shows the outputs for the new w1 and the figure changes.
    expected = node_rows(explorer, rows_before)
    deadline = time.monotonic() + REDRAW_S
    while time.monotonic() < deadline:
        rows, src = table_rows(table), img.get_attribute("src")
        if src != src_before and same_rows(rows, expected):
            break
        page.wait_for_timeout(200)
    what = f"after moving w1 from {w1_before} to {w1_after}"
    assert same_rows(rows, expected), f"{what} the truth table shows {rows}, not {expected}"
    assert src != src_before, f"{what} the figure did not redraw"
    assert explorer.locator(".widget-output img").count() == 1, f"{what} the Output widget stacks figures"


def test_no_news_popup_over_the_lesson(page, lab):
    """A first start of JupyterLab asks "get notified about official Jupyter news?" in a toast over
    the lesson, unless the course's settings (jupyterlab/overrides.json) answer it."""
    open_lab(page, lab, "lessons/00_start_here/00_start_here.ipynb")
    page.wait_for_timeout(3000)  # the question comes a moment after the shell
    toasts = page.locator(".Toastify__toast")
    texts = [toasts.nth(i).inner_text() for i in range(toasts.count())]
    assert not any("news" in t.lower() for t in texts), f"a news pop-up covers the lesson: {texts}"


def test_nbgrader_extension_is_in_jupyterlab(page, lab):
    """nbgrader 0.9's lab extension: a "Nbgrader" menu, the formgrader, a Validate button."""
    open_lab(page, lab, "lessons/00_start_here/00_start_here.ipynb")
    bar = page.locator("#jp-menu-panel .lm-MenuBar-item")
    menu = bar.filter(has_text=re.compile(r"^Nbgrader$"))
    assert menu.count() == 1, f"no 'Nbgrader' menu (nbgrader's lab extension); the menu bar has {bar.all_inner_texts()}"

    # Student side: the notebook's toolbar has nbgrader's Validate button.
    toolbar = page.locator(NOTEBOOK).locator(".jp-NotebookPanel-toolbar")
    toolbar.get_by_text("Validate", exact=True).wait_for()

    menu.click()
    items = page.locator("#jp-mainmenu-nbgrader .lm-Menu-item")
    items.first.wait_for()
    commands = {items.nth(i).get_attribute("data-command") for i in range(items.count())}
    expected = {"nbgrader:open-assignment-list", "nbgrader:open-course-list", "nbgrader:open-formgrader",
                "nbgrader:open-create-assignment"}
    assert expected <= commands, f"the Nbgrader menu lacks {sorted(expected - commands)}: it has {sorted(commands)}"

    # Instructor side: the formgrader opens in a tab (an iframe served by nbgrader's server extension).
    page.locator(".lm-Menu-item[data-command='nbgrader:open-formgrader']").click()
    frame = page.frame_locator("#jp-main-dock-panel iframe").first
    frame.get_by_text(re.compile("Manage Assignments", re.I)).first.wait_for(timeout=30_000)


def test_a_failing_check_shows_only_the_course_message(page, lab):
    """A check that fails shows the course's message (a red ✘ line and its hint), not a traceback
    through the package; the cell still counts as failed."""
    import nbformat

    from dlcourse.checks import CheckFailed, check

    with pytest.raises(CheckFailed) as failure:
        check(1.0, 2.0, "x")
    first_line = failure.value.message.splitlines()[0]
    source = 'from dlcourse.checks import check\ncheck(1.0, 2.0, "x")'
    kernel = {"kernelspec": {"name": "python3", "display_name": "Python 3", "language": "python"}}
    nbformat.write(nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(source)], metadata=kernel),
                   lab.root / "failing_check.ipynb")

    open_lab(page, lab, "failing_check.ipynb")
    notebook = page.locator(NOTEBOOK).first
    notebook.locator(".jp-CodeCell").first.wait_for(timeout=PAGE_LOAD_S * 1000)
    wait_kernel_idle(page, PAGE_LOAD_S)
    click_menu(page, "Run", "Run All Cells")
    state = wait_kernel_idle(page, RUN_S)
    assert state["cells"][0]["error"], "the failing check shows no error output"
    shown = notebook.locator(".jp-CodeCell").first.locator(".jp-OutputArea-output").first.inner_text().strip()
    assert shown.startswith("✘ " + first_line), f"a failing check shows {shown[:500]!r}"
    for noise in ("Traceback", "During handling of the above exception", "lib/dlcourse", "site-packages"):
        assert noise not in shown, f"a failing check shows {noise!r}:\n{shown[:2000]}"
