"""The benchmarks' synthetic data keeps the data model's shape (a small instance of it)."""

from benchmarks import synthetic
from dashboard import data, selection
from dashboard.views import feed


def test_synthetic_data_validates_and_serves(tmp_path):
    synthetic.write(tmp_path / "data", operations=3, contributions_count=200)
    ds = data.load(tmp_path / "data")
    assert len(ds.operations) == 3 and len(ds.contributions) == 200
    op = ds.operations.index[1]
    assert selection.operation_years(ds, op) == tuple(synthetic.YEARS)
    sel, bad = selection.from_query(ds, f"op={op}&year=2020")
    assert bad == [] and feed.build(ds, sel).title == "Latest contributions, 2020"
