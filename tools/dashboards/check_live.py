#!/usr/bin/env python3
"""Checks the shipped dashboard and alert rules against a real Prometheus scraping a real
Baton: the target is up, every series Baton exports reached Prometheus, every dashboard
query evaluates without error, and every alert rule is loaded and evaluates healthily.

Usage: check_live.py PROMETHEUS_URL DASHBOARD_JSON   (standard library only; CI runs it)
"""
import json
import sys
import time
import urllib.parse
import urllib.request


MUST_SHOW = ["Decision latency", "Decisions", "Messages", "Handoff rate", "Handoffs by reason",
             "Offers by outcome", "Agents by presence", "Live conversations", "Connections",
             "Conversations ended", "Memory"]


def get(base, path, **params):
    url = f"{base}{path}?{urllib.parse.urlencode(params)}" if params else f"{base}{path}"
    with urllib.request.urlopen(url, timeout=10) as response:
        body = json.load(response)
    if body.get("status") != "success":
        raise RuntimeError(f"{path} {params}: {body}")
    return body["data"]


def until(what, check, seconds=60):
    deadline = time.monotonic() + seconds
    while True:
        try:
            result = check()
            if result:
                return result
        except (OSError, RuntimeError) as e:
            last = e
        else:
            last = None
        if time.monotonic() > deadline:
            sys.exit(f"gave up waiting for {what}" + (f": {last}" if last else ""))
        time.sleep(0.5)


def main():
    base, dashboard_path = sys.argv[1].rstrip("/"), sys.argv[2]
    until("Prometheus to be ready", lambda: urllib.request.urlopen(f"{base}/-/ready", timeout=5).status == 200)
    until("Baton to be scraped", lambda: any(
        r["value"][1] == "1" for r in get(base, "/api/v1/query", query='up{job="baton"}')["result"]))

    dashboard = json.load(open(dashboard_path))
    exprs = [(p["title"], t["expr"]) for p in dashboard["panels"] for t in p.get("targets", [])]
    wanted = set()
    for _, expr in exprs:
        wanted.update(w for w in expr.replace("(", " ").replace("{", " ").split() if w.startswith("baton_"))
    names = until("every series to arrive", lambda: (
        lambda have: have if all(any(h == w or h.startswith(w) for h in have) for w in wanted) else None
    )(set(get(base, "/api/v1/label/__name__/values"))), seconds=30)
    baton = sorted(n for n in names if n.startswith("baton_"))
    print(f"prometheus has {len(baton)} baton_ metric names")
    # Rates need two samples in their window.
    until("three scrapes", lambda: any(
        float(r["value"][1]) >= 3
        for r in get(base, "/api/v1/query", query='count_over_time(up{job="baton"}[1m])')["result"]))

    empty = []
    for title, expr in exprs:
        query = expr.replace("$__rate_interval", "1m").replace("$instance", ".*")
        n = len(get(base, "/api/v1/query", query=query)["result"])
        print(f"  ok  {title}: {n} series")
        if n == 0:
            empty.append(title)
    # These panels must have series: what the traffic before this check (a handoff, a chat,
    # a close) recorded reached Prometheus through the exporter.
    for title in MUST_SHOW:
        if title in empty:
            sys.exit(f"panel {title!r} has no series after real traffic")

    def rules_evaluated():
        groups = get(base, "/api/v1/rules")["groups"]
        rules = [r for g in groups for r in g["rules"]]
        bad = [r for r in rules if r.get("health") != "ok"]
        return rules if rules and not bad else None
    rules = until("every alert rule to evaluate healthily", rules_evaluated, seconds=60)
    alerts = [r for r in rules if r["type"] == "alerting"]
    print(f"{len(exprs)} dashboard queries evaluate; {len(rules)} rules loaded and healthy "
          f"({len(alerts)} alerts, {sum(1 for a in alerts if a['state'] != 'inactive')} not inactive)")


if __name__ == "__main__":
    main()
