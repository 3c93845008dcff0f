#!/usr/bin/python3
# test-atspi.py - Overview → queue → case → linked incident and back, by keyboard, as AT-SPI reads it
# SPDX-License-Identifier: GPL-3.0-or-later
#
# Runs the real `control-tower --demo` window (under build-aux/headless-session:
# Xvfb and a private session bus) with its own accessibility bus, drives it
# with key presses only (Tab, arrows, Return, Escape through the registry's
# synthetic keyboard), and checks at each step the names a screen reader
# reads: the window's name, the focused control's name. It skips (TAP
# "1..0 # SKIP") only when pyatspi is not installed; every wait has a
# deadline, and the whole run is cut off by an alarm.
#
# Usage: test-atspi.py CONTROL-TOWER-BINARY

import os
import signal
import subprocess
import sys
import time

import importlib.util

if importlib.util.find_spec("pyatspi") is None:
    print("1..0 # SKIP pyatspi is not installed (apt-get install python3-pyatspi)", flush=True)
    sys.exit(0)
print("1..1", flush=True)

import gi  # noqa: E402
gi.require_version("Gdk", "4.0")
from gi.repository import Gdk, Gio, GLib  # noqa: E402

pyatspi = None  # imported once the accessibility bus runs: importing it connects

DEADLINE_S = 150


def fail(message):
    print("not ok 1 - %s" % message, flush=True)
    raise SystemExit(1)


def on_alarm(signum, frame):
    fail("the walk did not finish within %d s" % DEADLINE_S)


signal.signal(signal.SIGALRM, on_alarm)
signal.alarm(DEADLINE_S)

procs = []


def spawn(argv, env):
    # What the daemons and the app print is not TAP: it goes to stderr.
    p = subprocess.Popen(argv, env=env, stdout=sys.stderr)
    procs.append(p)
    return p


def cleanup():
    for p in reversed(procs):
        if p.poll() is None:
            p.terminate()
            try:
                p.wait(5)
            except subprocess.TimeoutExpired:
                p.kill()


def note(text):
    print("# " + text, flush=True)


def pump(seconds):
    """Lets AT-SPI deliver its events for @seconds."""
    end = time.monotonic() + seconds
    context = GLib.MainContext.default()
    while time.monotonic() < end:
        while context.iteration(False):
            pass
        time.sleep(0.01)


def wait_for(what, predicate, timeout=20.0, step=0.1):
    end = time.monotonic() + timeout
    while True:
        try:
            value = predicate()
        except Exception:  # the tree changes under us: try again
            value = None
        if value:
            return value
        if time.monotonic() > end:
            fail("timed out waiting for " + what)
        pump(step)


def walk(acc, depth=0, max_depth=40):
    """Every accessible under @acc, depth first. GTK 4.8 keeps the stack's
    hidden pages in the tree (all "visible"), so callers walk the part they
    mean: the sidebar, the case page, the Integrations page."""
    if acc is None or depth > max_depth:
        return
    yield acc
    try:
        children = list(acc)
    except Exception:
        return
    for child in children:
        yield from walk(child, depth + 1, max_depth)


def name_of(acc):
    try:
        return acc.name or ""
    except Exception:
        return ""


def role_of(acc):
    try:
        return acc.getRoleName()
    except Exception:
        return ""


def showing(acc):
    try:
        return acc.getState().contains(pyatspi.STATE_SHOWING)
    except Exception:
        return False


def find_app():
    desktop = pyatspi.Registry.getDesktop(0)
    for app in desktop:
        if app is not None and name_of(app) == "control-tower":
            return app
    return None


def frame():
    app = find_app()
    if app is None:
        return None
    for child in app:
        if role_of(child) == "frame":
            return child
    return None


last_focus = [None]
focus_events = [0]


def on_focus(event):
    if event.detail1 == 1:
        last_focus[0] = event.source
        focus_events[0] += 1


def focused():
    """What has the keyboard focus, as the focus events said."""
    return last_focus[0]


def find_first(root, predicate, max_depth=40):
    for acc in walk(root, 0, max_depth):
        if predicate(acc):
            return acc
    return None


parts = {}


def part(name):
    """A page or the sidebar, found once: by its widget's name as GTK 4.8
    reports it, or the sidebar's label."""
    if name not in parts:
        found = find_first(frame(), lambda a: name_of(a) == name and role_of(a) != "frame", 20)
        if found is None:
            return None
        parts[name] = found
    return parts[name]


def names_in(name):
    return [name_of(a) for a in walk(part(name))]


def press(keysym_name):
    keyval = Gdk.keyval_from_name(keysym_name)
    pyatspi.Registry.generateKeyboardEvent(keyval, None, pyatspi.KEY_SYM)
    pump(0.08)


def tab_until(what, predicate, limit=250, key="Tab"):
    trail = []
    for _ in range(limit):
        acc = focused()
        trail.append("%s (%s)" % (name_of(acc), role_of(acc)))
        if acc is not None and predicate(acc):
            return acc
        seen = focus_events[0]
        press(key)
        # The focus event of this press before the next one.
        end = time.monotonic() + 1.0
        while focus_events[0] == seen and time.monotonic() < end:
            pump(0.02)
    note("focus went: " + " → ".join(trail[-25:]))
    fail("%s: not reached with %d presses of %s (focus on %r)" %
         (what, limit, key, name_of(focused())))


def held_reference_from_report(binary, env):
    """A pending case an integration holds up, as the CLI's reports of the
    same demo data say."""
    import json
    run = {}
    for report in ("incidents", "pending"):
        out = subprocess.run([binary, "--demo", "--report=" + report, "--format=json"], env=env,
                             capture_output=True, text=True, timeout=90)
        run[report] = json.loads(out.stdout)
    held = set()
    for incident in run["incidents"].get("incidents", []):
        held.update(incident.get("linked_cases") or [])
    for area in run["pending"].get("areas", []):
        for case in area.get("cases", []):
            if case["key"] in held and case.get("reference"):
                return case["reference"]
    fail("the demo's reports name no pending case an integration holds up")


def main(binary):
    global held_reference
    env = dict(os.environ)
    # Meson's test environment turns the accessibility bridge off.
    env.pop("NO_AT_BRIDGE", None)
    env.pop("GTK_A11Y", None)
    env.pop("G_DEBUG", None)
    held_reference = held_reference_from_report(binary, env)
    note("held up: " + held_reference)
    # The accessibility bus and its registry, as a desktop session has them.
    global pyatspi
    spawn(["/usr/libexec/at-spi-bus-launcher", "--launch-immediately"], env)
    session = Gio.bus_get_sync(Gio.BusType.SESSION, None)

    def bus_up():
        reply = session.call_sync("org.freedesktop.DBus", "/org/freedesktop/DBus",
                                  "org.freedesktop.DBus", "NameHasOwner",
                                  GLib.Variant("(s)", ("org.a11y.Bus",)), None,
                                  Gio.DBusCallFlags.NONE, 1000, None)
        return reply.unpack()[0]

    wait_for("the accessibility bus", bus_up, 10)
    import pyatspi as atspi_module
    pyatspi = atspi_module
    pyatspi.Registry.registerEventListener(on_focus, "object:state-changed:focused")
    spawn([binary, "--demo"], env)

    # Overview, once the demo is read: the sidebar counts are numbers.
    wait_for("the window", frame, 30)
    wait_for("the Overview", lambda: name_of(frame()) == "Overview", 20)

    def pending_count():
        for acc in walk(part("Pages")):
            n = name_of(acc)
            if n.startswith("All Pending, ") and n.split(", ")[1].isdigit():
                return n
        return None

    note("sidebar: " + wait_for("the demo's counts", pending_count, 60))

    # The pointer over the window: without a window manager, X gives the
    # keyboard to the window under it.
    ext = frame().queryComponent().getExtents(pyatspi.DESKTOP_COORDS)
    pyatspi.Registry.generateMouseEvent(ext.x + ext.width // 2, ext.y + ext.height // 2, "abs")
    pump(0.3)

    # Into the sidebar, then down to All Pending.
    tab_until("the sidebar", lambda a: name_of(a) == "Overview" and role_of(a) != "frame", 80,
              key="ISO_Left_Tab")
    for _ in range(2):
        press("Down")
    wait_for("All Pending selected", lambda: name_of(frame()) == "All Pending", 10)
    wait_for("the focused row to read 'All Pending, N'",
             lambda: name_of(focused()).startswith("All Pending, "), 5)
    note("focus: " + name_of(focused()))

    # Into the queue's rows: Tab from the sidebar passes over the list in
    # GTK 4.8 (it goes header → sidebar), so through Search, whose entry
    # sits above the rows. The search finds a case an integration holds up.
    tab_until("the Search button", lambda a: name_of(a) == "Search", 20)
    press("Return")
    pump(0.5)
    for ch in held_reference.lower():
        press({"/": "slash", ".": "period", "-": "minus", " ": "space"}.get(ch, ch))
    pump(1.0)

    def in_queue(acc):
        return role_of(acc) in ("table row", "table cell", "list item", "row") and \
            name_of(frame()) == "All Pending" and not name_of(acc).startswith("All Pending")

    row = tab_until("a queue row", in_queue, 40)
    note("queue row: %s (%s)" % (name_of(row), role_of(row)))
    # A row reads as its case (reference, title, service level, amount),
    # not as GTK's class name.
    if not name_of(row).startswith(held_reference + ", "):
        fail("the queue row reads %r, not the case %s" % (name_of(row), held_reference))

    press("Return")
    reference = wait_for("the case to open", lambda: name_of(frame()) != "All Pending" and
                         name_of(frame()), 10)
    note("case: " + reference)
    if reference != held_reference:
        fail("the case opened is %r, not %r" % (reference, held_reference))
    wait_for("the case's detail", lambda: "Why It Needs Approval" in names_in("CtCasePage"), 20)
    if "Linked Incidents" not in names_in("CtCasePage"):
        fail("%s shows no linked incident" % reference)

    # To the linked incident (its row names the integration) and open it.
    incident = tab_until("the linked incident", lambda a: " — " in name_of(a) and
                         role_of(a) in ("list item", "row", "table row", "push button"))
    incident_name = name_of(incident)
    note("linked incident: " + incident_name)
    press("Return")
    wait_for("the Integrations page", lambda: name_of(frame()) == "Integrations", 10)
    run = incident_name.rsplit(" ", 1)[-1]
    focus = wait_for("the incident %s focused" % run,
                     lambda: focused() if run in name_of(focused()) else None, 10)
    note("focus on Integrations: %s (%s)" % (name_of(focus), role_of(focus)))

    # Back: to the case, then to the queue.
    press("Escape")
    wait_for("the case again", lambda: name_of(frame()) == reference, 10)
    press("Escape")
    wait_for("the queue again", lambda: name_of(frame()) == "All Pending", 10)
    note("back in: " + name_of(frame()))

    # Every control that can take the focus on the way has a name.
    nameless = [role_of(a) for page in ("CtCasePage", "CtIntegrationsPage", "Pages")
                for a in walk(part(page))
                if role_of(a) in ("push button", "toggle button", "menu button")
                and not name_of(a)]
    if nameless:
        fail("controls without a name: %s" % ", ".join(nameless))
    print("ok 1 - overview, queue, case, linked incident and back by keyboard", flush=True)


try:
    main(sys.argv[1])
finally:
    signal.alarm(0)
    cleanup()
