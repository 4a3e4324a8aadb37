"""Donor, country and office names in the user's language, and the accent- and case-blind search."""

from __future__ import annotations

import pytest

from dashboard import data, names


def _edit(path, old, new):
    text = path.read_text(encoding="utf-8")
    assert old in text, old
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def _found(ds, query: str) -> set[str]:
    """Published names of the contributions a donor search finds, as the feed will search them."""
    return {r.donor for r in ds.contributions.itertuples() if names.matches(query, *names.donor_search_names(r))}


@pytest.mark.parametrize("query", ["Corée", "korea", "COREE", "république de corée", "Korea, Republic of"])
def test_korea_found_in_either_language(ds, query):
    assert _found(ds, query) == {"Republic of Korea"}


@pytest.mark.parametrize("query", ["Corée", "korea"])
def test_donor_mask_finds_korea_contributions(ds, query):
    found = ds.contributions[names.donor_mask(ds.contributions, query)]
    assert set(found["donor"]) == {"Republic of Korea"} and len(found) == 3
    assert found["amount_usd"].sum() == 4_000_000 + 1_000_000 + 8_056_152


def test_donor_mask_empty_query_and_frame_without_codes(ds):
    assert all(names.donor_mask(ds.contributions, "  "))
    bare = ds.contributions.drop(columns="donor_code")
    assert sum(names.donor_mask(bare, "Italie")) == 0 and sum(names.donor_mask(bare, "ital")) == 1


def test_japon_finds_japan(ds):
    assert _found(ds, "Japon") == {"Japan"}
    assert _found(ds, "japan") == {"Japan"}


def test_search_by_short_alternate_name(ds):
    assert _found(ds, "Royaume-Uni") == {"United Kingdom of Great Britain and Northern Ireland"}
    assert _found(ds, "etats-unis") == {"United States of America"}


def test_search_that_matches_nothing_and_empty_search(ds):
    assert _found(ds, "Atlantis") == set()
    assert len(_found(ds, "")) == ds.contributions["donor"].nunique()


def test_search_key_folds_accents_case_apostrophes_and_spaces():
    assert names.search_key("  Côte d’Ivoire ") == names.search_key("COTE D'IVOIRE") == "cote d'ivoire"
    assert names.search_key("Émirats\u00a0arabes  unis") == "emirats arabes unis"
    assert names.matches("menaka", "Ménaka")
    assert not names.matches("menaka", "Mopti")


def test_french_names_of_the_data_donors(ds):
    by_code = {r.donor_code: r for r in ds.contributions.itertuples()}
    assert names.donor_name(by_code["ITA"], None, "fr") == "Italie"
    assert names.donor_name(by_code["JPN"], None, "fr") == "Japon"
    assert names.donor_name(by_code["GBR"], None, "fr") == "Royaume-Uni de Grande-Bretagne et d’Irlande du Nord"
    assert names.donor_name(by_code["USA"], None, "fr") == "États-Unis d’Amérique"
    assert names.donor_name("KOR", "Republic of Korea", "fr") == "République de Corée"


def test_english_keeps_the_name_as_printed(ds):
    for r in ds.contributions.itertuples():
        assert names.donor_name(r, None, "en") == r.donor
    assert names.donor_name("NLD", "Netherlands", "en") == "Netherlands"


def test_private_unknown_and_missing_codes():
    assert names.donor_name("private", "Private donors", "fr") == "donateurs privés"
    assert names.donor_name("private", None, "en") == "private donors"
    assert names.donor_name("", "Some Foundation", "fr") == "Some Foundation"
    assert names.donor_name(None, "Some Foundation", "fr") == "Some Foundation"
    assert names.donor_name({"donor": "Some Fund", "donor_code": float("nan")}, None, "fr") == "Some Fund"
    assert names.donor_name("cerf", "CERF", "fr") == "CERF"


def test_stored_codes_are_what_the_importer_derives(ds):
    """The importer writes donor_code(published name): the shipped file must agree with it."""
    for r in ds.contributions.itertuples():
        assert names.donor_code(r.donor) == r.donor_code, r.donor
    assert names.donor_code("Netherlands") == "NLD"
    assert names.donor_code("Private donors") == "private"
    assert names.donor_code("European Union") == ""
    assert [names.donor_code(n) for n in ("Congo", "Democratic Republic of the Congo", "Niger", "Sudan")] == [
        "COG",
        "COD",
        "NER",
        "SDN",
    ]


def test_reader_agrees_with_hdx_country_api():
    """Our light reader of the taxonomy file gives what hdx-python-country's own API gives, offline."""
    from hdx.location.country import Country

    api = Country.countriesdata(use_live=False)["countries"]
    ours = names.countries()
    assert set(ours) == set(api) and len(ours) > 240
    for iso3, row in api.items():
        assert (ours[iso3]["French Short"] or None) == row["French Short"], iso3
        assert (ours[iso3]["English Short"] or None) == row["English Short"], iso3
    assert Country.get_iso3_country_code("Republic of Korea", use_live=False) == names.donor_code("Republic of Korea")


def test_office_names(ds):
    offices = {r.office: r for r in ds.offices.itertuples()}
    assert names.office_name(offices["Timbuktu"], "fr") == "Tombouctou"
    assert names.office_name(offices["Timbuktu"], "en") == "Timbuktu"
    assert names.office_name(offices["Ménaka"], "fr") == "Ménaka"
    assert names.office_name({"office": "Gao", "office_fr": "Gao"}, "fr") == "Gao"


def test_office_french_name_agrees_with_region_name(ds):
    """Offices in a region's capital carry the region's French name (Timbuktu office, Tombouctou region)."""
    regions = {f["properties"]["name"]: f["properties"]["name_fr"] for f in ds.geo["regions"]["features"]}
    in_capitals = {r.office: r.office_fr for r in ds.offices.itertuples() if r.office in regions}
    # Every office but Ménaka's (its region is not among the map's nine) sits in a region's capital.
    assert set(in_capitals) == {"Bamako", "Gao", "Mopti", "Timbuktu"}
    assert in_capitals == {office: regions[office] for office in in_capitals}


@pytest.mark.parametrize(
    ("old", "new", "fragment"),
    [
        ("586167,ITA,", "586167,XYZ,", "UN countries taxonomy"),
        ("586167,ITA,", "586167,Italy,", "text matching"),
    ],
)
def test_bad_donor_code_is_reported(data_copy, old, new, fragment):
    _edit(data_copy / "contributions.csv", old, new)
    with pytest.raises(data.DataError) as err:
        data.load(data_copy)
    assert any("line 2, field 'donor_code'" in p and fragment in p for p in err.value.problems), err.value.problems


def test_blank_and_organisation_codes_are_accepted(data_copy):
    _edit(data_copy / "contributions.csv", "586167,ITA,", "586167,,")
    _edit(data_copy / "contributions.csv", "4000000,KOR,", "4000000,cerf,")
    loaded = data.load(data_copy)
    codes = loaded.contributions["donor_code"]
    assert "cerf" in set(codes) and codes.isna().sum() == 1
    italy = loaded.contributions[loaded.contributions["donor"] == "Italy"].iloc[0]
    assert names.donor_name(italy, None, "fr") == "Italy"
