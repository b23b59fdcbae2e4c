"""The statistics page in chromium on the demo data: the coordinator sees charts drawn from the
demo cases, filters the period and downloads the exports."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest

from tests.web.conftest import shot, sign_in

pytestmark = pytest.mark.browser
CHARTS = ["chart-type", "chart-state", "chart-month", "chart-success", "chart-time", "chart-overdue"]

# Sum of a chart's first dataset, and whether its canvas has any non-blank pixel.
PROBE = """id => {
  const c = window.mhCharts[id];
  const px = c.ctx.getImageData(0, 0, c.canvas.width, c.canvas.height).data;
  let painted = 0;
  for (let i = 3; i < px.length; i += 4) if (px[i] > 0) painted++;
  return {labels: c.data.labels, sum: c.data.datasets[0].data.reduce((a, b) => a + b, 0), painted,
          width: c.canvas.width, height: c.canvas.height};
}"""


def test_coordinator_sees_charts_and_exports(page, live_server, tmp_path: Path):
    sign_in(page, live_server, "coordinator")
    page.click("#nav-stats")
    page.wait_for_url("**/stats")
    assert page.locator("nav.main a.on").inner_text() == "统计"
    page.wait_for_function("() => window.mhCharts && Object.keys(window.mhCharts).length === 6")
    data = page.evaluate("() => JSON.parse(document.getElementById('stats-data').textContent)")
    assert data["total"] >= 20, "the demo cases are loaded (maritime_hub/demo_cases.py)"
    probes = {cid: page.evaluate(PROBE, cid) for cid in CHARTS}
    for cid, p in probes.items():
        assert p["width"] > 100 and p["height"] > 100 and p["painted"] > 500, (cid, p)
    # The charts show the API's figures, with Chinese labels.
    assert probes["chart-type"]["sum"] == data["total"] and "劳资纠纷" in probes["chart-type"]["labels"]
    assert probes["chart-state"]["sum"] == data["total"] and "组织调解" in probes["chart-state"]["labels"]
    assert probes["chart-month"]["sum"] == data["total"] and len(probes["chart-month"]["labels"]) == 12
    assert probes["chart-success"]["sum"] == data["success"]["outcomes"] > 0
    assert probes["chart-overdue"]["sum"] == sum(d["overdue"] for d in data["overdue"]["by_deadline"]) > 0
    assert "调解成功率" in page.locator("main").inner_text()
    assert page.locator("#kpi-total").inner_text() == str(data["total"])
    assert page.locator("#mediator-table tr").count() >= 3  # header + the two demo sea elders
    assert "王阿毛" in page.locator("#mediator-table").inner_text()
    shot(page, "stats-page")

    with page.expect_download() as dl:
        page.click("#export-csv")
    path = tmp_path / "stats.csv"
    dl.value.save_as(path)
    raw = path.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(raw.decode("utf-8-sig"))))
    assert ["登记案件数", str(data["total"])] in rows
    with page.expect_download() as dl:
        page.click("#export-xlsx")
    assert dl.value.suggested_filename.endswith(".xlsx")
    xlsx = tmp_path / "stats.xlsx"
    dl.value.save_as(xlsx)
    openpyxl = pytest.importorskip("openpyxl")
    assert "按纠纷类型" in openpyxl.load_workbook(xlsx, read_only=True).sheetnames

    # A shorter period: the figures and the export links follow the filter.
    page.fill("input[name=start]", data["period"]["end"])
    page.click("#stats-filter button[type=submit]")
    page.wait_for_url("**/stats?start=*")
    page.wait_for_function("() => window.mhCharts && Object.keys(window.mhCharts).length === 6")
    short = page.evaluate("() => JSON.parse(document.getElementById('stats-data').textContent)")
    assert short["period"]["start"] == data["period"]["end"] and short["total"] < data["total"]
    assert f"start={data['period']['end']}" in page.get_attribute("#export-csv", "href")


def test_stats_page_is_for_readers_only(page, live_server):
    sign_in(page, live_server, "mediator")
    assert page.locator("#nav-stats").count() == 0
    r = page.goto(f"{live_server}/stats")
    assert r.status == 403
