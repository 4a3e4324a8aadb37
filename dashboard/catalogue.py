"""Every string the dashboard shows, in English and French: the page's labels and sentences (`TEXT`, its
plural forms, download column headers) and the glossary's entries, date lines and notes. Strings only: how
they are formatted and filled is `i18n`'s and `glossary`'s work.

An entry is a pair (English, French). French follows French typography: a narrow no-break space (U+202F)
before : ; ! ? and inside « ». No figure is written here; every figure quoted is computed from the data.
"""

from __future__ import annotations

TEXT: dict[str, tuple[str, str]] = {
    "app_title": ("Operation Dashboard", "Tableau de bord des opérations"),
    "subtitle": ("UNHCR operation: {name}", "Opération du HCR\u202f: {name}"),
    "operation": ("Operation", "Opération"),
    "year": ("Year", "Année"),
    "groups": ("Population groups", "Groupes de population"),
    "groups_count": ("{n} groups", "{n} groupes"),
    "groups_of": ("{n} of {m} groups", "{n} groupes sur {m}"),
    "people_of_groups": ("People of concern ({groups})", "Personnes relevant du HCR ({groups})"),
    "people_title_of_groups": ("People of concern ({groups}), {year}", "Personnes relevant du HCR ({groups}), {year}"),
    "all_groups": ("all groups", "tous les groupes"),
    "all_groups_button": ("All groups", "Tous les groupes"),
    "only": ("only", "uniquement"),
    "only_group": ("{group} only", "{group} uniquement"),
    "pop_source": ("Population figures", "Chiffres de population"),
    "src_page": ("Operation page", "Page de l’opération"),
    "src_statistics": ("UNHCR statistics series", "Série statistique du HCR"),
    "src_release": ("release {release}", "édition {release}"),
    "src_fetched": ("fetched {date}", "consulté le {date}"),
    "no_data": ("no data", "pas de données"),
    "not_available": ("not available", "non disponible"),
    "download_csv": ("Download CSV", "Télécharger le CSV"),
    "skip_link": ("Skip to content", "Aller au contenu"),
    "show_table": ("Show the figures as a table", "Afficher les chiffres sous forme de tableau"),
    "source": ("Source", "Source"),
    "source_line": ("Source: {text}", "Source\u202f: {text}"),
    "list_separator": ("; ", "\u202f; "),
    "licence": ("Licence", "Licence"),
    # KPIs
    "kpi_people": ("People of concern", "Personnes relevant du HCR"),
    "kpi_budget": ("Budget", "Budget"),
    "kpi_expenditure": ("Expenditure", "Dépenses"),
    "kpi_rate": ("Implementation rate", "Taux d’exécution"),
    "kpi_contributions": ("Contributions listed", "Contributions listées"),
    # People of concern
    "people_title": ("People of concern, {year}", "Personnes relevant du HCR, {year}"),
    "people_total": ("Total of the selected groups", "Total des groupes sélectionnés"),
    "change_vs": ("{change} against {prev}", "{change} par rapport à {prev}"),
    "change_none": ("change against {prev}: no data", "évolution par rapport à {prev}\u202f: pas de données"),
    "by_group": ("By population group", "Par groupe de population"),
    "trend": ("Trend over years", "Évolution annuelle"),
    "people_axis": ("People", "Personnes"),
    "group": ("Population group", "Groupe de population"),
    "value": ("Value", "Valeur"),
    "as_of": ("As of", "Au"),
    "shown_source": ("Figures: {name}", "Chiffres\u202f: {name}"),
    "partial_groups": (
        "No figure for: {groups}.",
        "Pas de chiffre pour\u202f: {groups}.",
    ),
    "no_breakdown": (
        "The source gives only a total for {year}, no breakdown by group.",
        "La source ne donne qu’un total pour {year}, sans ventilation par groupe.",
    ),
    "no_people": (
        "No data for {year} in this source.",
        "Pas de données pour {year} dans cette source.",
    ),
    "other_source_has": ("The {name} has {value} for {year}.", "La {name} a {value} pour {year}."),
    "other_source_groups": (
        "The {name} has figures for {groups} in {year}.",
        "La {name} a des chiffres pour {groups} en {year}.",
    ),
    "other_source_years": (
        "No figure from the {shown} for {years}; the {name} has them.",
        "Pas de chiffre de la {shown} pour {years}\u202f; la {name} en a.",
    ),
    "other_source_years_values": (
        "No figure from the {shown} for {years}; the {name} has {values}.",
        "Pas de chiffre de la {shown} pour {years}\u202f; la {name} a {values}.",
    ),
    "switch_source": ("Switch to the {name}", "Passer à la {name}"),
    "no_groups_selected": ("No group selected.", "Aucun groupe sélectionné."),
    "mid_year": ("mid-{year}", "mi-{year}"),
    "source_for_years": ("{citation} for {years}", "{citation} pour {years}"),
    "newest_year": ("The newest figures here are for {year}.", "Les chiffres les plus récents ici sont de {year}."),
    "show_year": ("Show {year}", "Afficher {year}"),
    "kpi_newest": ("none for {year}; newest {newest}", "aucun pour {year}\u202f; le plus récent\u202f: {newest}"),
    # Budget
    "budget_title": ("Budget and expenditure", "Budget et dépenses"),
    "budget_years": ("By year (USD)", "Par année (USD)"),
    "budget_pillars": ("By pillar, {year}", "Par pilier, {year}"),
    "budget": ("Budget", "Budget"),
    "budget_musd": ("Budget (USD million)", "Budget (millions USD)"),
    "expenditure_musd": ("Expenditure (USD million)", "Dépenses (millions USD)"),
    "expenditure": ("Expenditure", "Dépenses"),
    "pillar": ("Pillar", "Pilier"),
    "usd": ("USD", "USD"),
    "rate": ("Implementation rate", "Taux d’exécution"),
    "budget_hint": (
        "Click a year's bar to select that year.",
        "Cliquez sur la barre d’une année pour la sélectionner.",
    ),
    "budget_no_groups": (
        "Budgets are not broken down by population group.",
        "Les budgets ne sont pas ventilés par groupe de population.",
    ),
    "p1": ("Refugee programme", "Programme pour les réfugiés"),
    "p2": ("Stateless programme", "Programme pour les apatrides"),
    "p3": ("Reintegration projects", "Projets de réintégration"),
    "p4": ("IDP projects", "Projets pour les déplacés internes"),
    "total": ("Total", "Total"),
    # Feed
    "feed_no_groups": (
        "Contributions are not broken down by population group.",
        "Les contributions ne sont pas ventilées par groupe de population.",
    ),
    "feed_title": ("Latest contributions, {year}", "Dernières contributions, {year}"),
    "date": ("Date", "Date"),
    "donor": ("Donor", "Donateur"),
    "amount": ("Amount (USD)", "Montant (USD)"),
    "yes": ("Yes", "Oui"),
    "no": ("No", "Non"),
    "private_donors_in": ("Private donors ({country})", "Donateurs privés ({country})"),
    "donor_type": ("Donor type", "Type de donateur"),
    "donor_all": ("All", "Tous"),
    "donor_public": ("Public", "Publics"),
    "donor_private": ("Private", "Privés"),
    "donor_search": ("Donor name contains", "Le nom du donateur contient"),
    "sort_by": ("Sort by", "Trier par"),
    "sort_date_desc": ("Newest first", "Les plus récentes"),
    "sort_amount_desc": ("Largest first", "Les plus importantes"),
    "sort_donor_asc": ("Donor A–Z", "Donateur A–Z"),
    "sort_donor_total_desc": ("Largest donors first", "Plus grands donateurs d’abord"),
    "contributions_count": ("{n} contributions", "{n} contributions"),
    "feed_total": ("{n} contributions shown, total {amount}", "{n} contributions affichées, total {amount}"),
    "feed_none": ("No contributions listed for {year}.", "Aucune contribution listée pour {year}."),
    "feed_none_anywhere": (
        "No contributions listed for {year}, nor for any other year.",
        "Aucune contribution listée pour {year}, ni pour aucune autre année.",
    ),
    "feed_years_listed": ("The source lists contributions for", "La source en liste pour"),
    # Key figures
    "keyfig_title": ("Key figures, {year}", "Chiffres clés, {year}"),
    "planning_target": ("Planning targets", "Objectifs de planification"),
    "year_end_result": ("Year-end results", "Résultats de fin d’année"),
    "keyfig_none": ("No key figures for {year}.", "Pas de chiffres clés pour {year}."),
    "kind": ("Kind", "Type"),
    "unit": ("Unit", "Unité"),
    "label": ("Figure", "Chiffre"),
    # Map
    "map_title": ("Map", "Carte"),
    "glossary_title": ("What the terms mean", "Ce que veulent dire les termes"),
    "map_title_dated": (
        "Map: refugees and asylum-seekers by region as of {date}",
        "Carte\u202f: réfugiés et demandeurs d’asile par région au {date}",
    ),
    "map_region_legend": (
        "Refugees and asylum-seekers by region, {date}",
        "Réfugiés et demandeurs d’asile par région, {date}",
    ),
    "map_panel_dates": (
        "This total: {date}, {citation}. The regions on the map: {regions_date}.",
        "Ce total\u202f: {date}, {citation}. Les régions sur la carte\u202f: {regions_date}.",
    ),
    "map_offices_legend": ("UNHCR offices, {date}", "Bureaux du HCR, {date}"),
    "map_disclaimer": (
        "The boundaries and names shown and the designations used on this map do not imply official "
        "endorsement or acceptance by the United Nations.",
        "Les frontières et les noms indiqués et les désignations employées sur cette carte n’impliquent "
        "pas reconnaissance ou acceptation officielle de la part de l’Organisation des Nations Unies.",
    ),
    "map_details": (
        "Click a region or an office for details.",
        "Cliquez sur une région ou un bureau pour les détails.",
    ),
    "map_no_geometry": (
        "No map geometry is available for this operation.",
        "Aucune géométrie cartographique n’est disponible pour cette opération.",
    ),
    "office_type": ("Office type", "Type de bureau"),
    "country_office": ("Country office", "Bureau de pays"),
    "sub_office": ("Sub-office", "Sous-bureau"),
    "field_office": ("Field office", "Bureau de terrain"),
    "field_unit": ("Field unit", "Unité de terrain"),
    "region": ("Region", "Région"),
    "region_sort_figure": ("Largest figure first", "Chiffre le plus élevé d’abord"),
    "region_sort_name": ("Region A–Z", "Région A–Z"),
    "menaka_note": (
        "Ménaka is shown as a point: it is a region of its own in these figures, but inside Gao on this map.",
        "Ménaka est figurée par un point\u202f: c’est une région à part dans ces chiffres, mais comprise dans Gao sur cette carte.",
    ),
    "small_region_note": (
        "{names}: also shown as a point, the region being too small to click at this zoom.",
        "{names}\u202f: aussi figuré par un point, la région étant trop petite pour être cliquée à ce zoom.",
    ),
    "refugees_and_asylum_seekers": ("Refugees and asylum-seekers", "Réfugiés et demandeurs d’asile"),
    # Population groups
    "refugees": ("Refugees", "Réfugiés"),
    "asylum_seekers": ("Asylum-seekers", "Demandeurs d’asile"),
    "idps": ("IDPs", "Personnes déplacées internes"),
    "returned_idps": ("Returned IDPs", "Déplacés internes rentrés"),
    "returned_refugees": ("Returned refugees", "Réfugiés rapatriés"),
    "oip": (
        "Other people in need of international protection",
        "Autres personnes ayant besoin d’une protection internationale",
    ),
    "stateless": ("Stateless persons", "Apatrides"),
    "host_community": ("Host community", "Communauté d’accueil"),
    "ooc": ("Others of concern", "Autres personnes relevant du HCR"),
    # Page chrome: the browser tab and Dash's own loading texts.
    "tab_title": ("{name} – Operation Dashboard (UNHCR)", "{name} – Tableau de bord des opérations (HCR)"),
    "loading": ("Loading…", "Chargement…"),
    # The data version, on the page and in downloads.
    "data_stamp": ("Data as of {date}, version {version}", "Données au {date}, version {version}"),
    "data_stamp_what": (
        "Newest figures: {date} ({what}) · data version {version}",
        "Chiffres les plus récents\u202f: {date} ({what}) · version des données {version}",
    ),
    "data_updated": (
        "The figures were updated (data as of {date}): every view now shows the new data.",
        "Les chiffres ont été mis à jour (données au {date})\u202f: toutes les vues montrent les nouvelles données.",
    ),
    "download_version": ("Data version {version}, as of {date}", "Version des données {version}, au {date}"),
    # Offline use (dashboard/offline.py, the service worker and assets/offline.js).
    "app_short_name": ("UNHCR {name}", "HCR {name}"),
    "app_description": (
        "Figures of a UNHCR operation: people of concern, budget, contributions and a map, readable offline.",
        "Chiffres d’une opération du HCR\u202f: personnes relevant du HCR, budget, contributions et carte, lisibles hors ligne.",
    ),
    "offline_saved": (
        "Offline — figures saved on {date} at {time}",
        "Hors ligne — chiffres enregistrés le {date} à {time}",
    ),
    "offline_unavailable": (
        "Not available offline: this choice was never saved on this device. The figures shown have not changed.",
        "Non disponible hors ligne\u202f: ce choix n’a jamais été enregistré sur cet appareil. Les chiffres affichés n’ont pas changé.",
    ),
    "offline_download": (
        "Downloads need a connection: try again once online.",
        "Les téléchargements nécessitent une connexion\u202f: réessayez une fois en ligne.",
    ),
    "offline_not_saved": (
        "Offline: this address was never saved on this device.",
        "Hors ligne\u202f: cette adresse n’a jamais été enregistrée sur cet appareil.",
    ),
    "offline_open_last": ("Open the last page saved", "Ouvrir la dernière page enregistrée"),
    # "Label: value" pairs built in code or in the browser (map popups): French puts a space before the colon.
    "label_value": ("{label}: {value}", "{label}\u202f: {value}"),
    # Source lines: fields of sources.csv in the user's language (see source_field).
    "source_with_licence": ("{citation} (licence: {licence})", "{citation} (licence\u202f: {licence})"),
    "csv_source": ("{citation}. {title}. Licence: {licence}.", "{citation}. {title}. Licence\u202f: {licence}."),
    # Notes in downloads (the English forms are today's exactly).
    "note_filters": (
        "Filters: year={year}, donor type={donor_type}, donor name contains={donor}.",
        "Filtres\u202f: année = {year}, type de donateur = {donor_type}, le nom du donateur contient {donor}.",
    ),
    "note_regions": (
        "Regions without a row have no figure in the source.",
        "Les régions sans ligne n’ont pas de chiffre dans la source.",
    ),
    "note_people": (
        "Figures: {name}. Empty value = no data in the source.",
        "Chiffres\u202f: {name}. Valeur vide = pas de données dans la source.",
    ),
    "note_budget_empty": (
        "Empty value = not available in the source.",
        "Valeur vide = non disponible dans la source.",
    ),
    "note_budget_none": ("No budget figures for {year}.", "Pas de chiffres de budget pour {year}."),
    # Workbook sheets, one per view (at most 31 characters).
    "sheet_people": ("People of concern", "Personnes relevant du HCR"),
    "sheet_budget": ("Budget", "Budget"),
    "sheet_contributions": ("Contributions", "Contributions"),
    "sheet_key_figures": ("Key figures", "Chiffres clés"),
    "sheet_regions": ("Regions", "Régions"),
    "download_xlsx": ("Download workbook (Excel)", "Télécharger le classeur (Excel)"),
    # The workbook: a title row per sheet, a sheet that says why it has no rows, the codes behind the headers.
    "sheet_heading": ("{view} — {operation}", "{view} — {operation}"),
    "sheet_no_rows": ("No rows for this selection.", "Aucune ligne pour cette sélection."),
    "sheet_columns": ("Columns", "Colonnes"),
    "sheet_columns_note": (
        "Each sheet's headers, and the column code that scripts use for each.",
        "Les en-têtes de chaque feuille, et le code de colonne qu’emploient les scripts pour chacun.",
    ),
    "column_sheet": ("Sheet", "Feuille"),
    "column_header": ("Header", "En-tête"),
    "column_code": ("Code", "Code"),
    "series_by_year": ("By year", "Par année"),
    "series_by_pillar": ("By pillar", "Par pilier"),
    "series_by_group": ("By population group", "Par groupe de population"),
    "series_trend": ("Trend over years", "Évolution annuelle"),
    "feed_filtered_none": (
        "No contribution of {year} matches the donor filters.",
        "Aucune contribution de {year} ne correspond aux filtres de donateur.",
    ),
    # A value of the page address that was not understood: what was asked, what is shown instead.
    "bad_year": (
        "Year {given} is not in the data; showing {shown}.",
        "L’année {given} n’est pas dans les données\u202f; affichage de {shown}.",
    ),
    "bad_op": (
        "Operation {given} is not in the data; showing {shown}.",
        "L’opération {given} n’est pas dans les données\u202f; affichage de {shown}.",
    ),
    "bad_lang": (
        "Language {given} is not available; showing {shown}.",
        "La langue {given} n’est pas disponible\u202f; affichage en {shown}.",
    ),
    "bad_groups": (
        "Population group {given} is not known; showing {shown}.",
        "Le groupe de population {given} est inconnu\u202f; affichage de {shown}.",
    ),
    "bad_source": (
        "Population figures {given} are not known; showing the {shown}.",
        "Les chiffres de population {given} sont inconnus\u202f; affichage de la {shown}.",
    ),
    "bad_donor_type": (
        "Donor type {given} is not known; showing {shown}.",
        "Le type de donateur {given} est inconnu\u202f; affichage de {shown}.",
    ),
    "bad_donor": (
        "The donor name searched for is too long ({given} characters, at most {shown}); the search was cleared.",
        "Le nom de donateur recherché est trop long ({given} caractères, {shown} au plus)\u202f; la recherche a été effacée.",
    ),
    "bad_address": (
        "The address could not be read; showing the default view.",
        "L’adresse n’a pas pu être lue\u202f; affichage de la vue par défaut.",
    ),
    "bad_other": (
        "The value {given} of {param} was not understood; showing {shown}.",
        "La valeur {given} de {param} n’a pas été comprise\u202f; affichage de {shown}.",
    ),
    "none_selected": ("no group", "aucun groupe"),
}

# Other plural forms of TEXT entries, by CLDR plural category (Babel's Locale.plural_form); TEXT holds
# the general ("other") form, so `t` keeps working for any count.
PLURAL: dict[str, tuple[dict[str, str], dict[str, str]]] = {
    "groups_count": ({"one": "{n} group"}, {"one": "{n} groupe"}),
    "contributions_count": ({"one": "{n} contribution"}, {"one": "{n} contribution"}),
    "feed_total": (
        {"one": "{n} contribution shown, total {amount}"},
        {"one": "{n} contribution affichée, total {amount}"},
    ),
}

# CSV and workbook column headers, in words: English, then French (COLUMNS). The column ids stay in the code
# columns' values and in the workbook's Columns sheet.
COLUMNS_EN: dict[str, str] = {
    "operation": "Operation",
    "date": "Date",
    "donor": "Donor",
    "private_donor": "Private donor",
    "donor_code": "Donor code (ISO 3166-1)",
    "amount_usd": "Amount (USD)",
    "year": "Year",
    "kind": "Kind",
    "value": "Value",
    "unit": "Unit",
    "label_en": "Label (English)",
    "label_fr": "Label (French)",
    "region": "Region",
    "iso_3166_2": "Region code (ISO 3166-2)",
    "group": "Population group",
    "as_of": "Figures as of",
    "pillar": "Pillar",
    "pillar_name": "Pillar name",
    "usd_millions": "USD million",
    "usd": "USD",
    "dataset": "Figure source",
    "series": "Series",
    "rate": "Implementation rate (%)",
    "people": "People",
}
COLUMNS: dict[str, str] = {
    "operation": "Opération",
    "date": "Date",
    "donor": "Donateur",
    "private_donor": "Donateur privé",
    "donor_code": "Code du donateur (ISO 3166-1)",
    "amount_usd": "Montant (USD)",
    "year": "Année",
    "kind": "Type",
    "value": "Valeur",
    "unit": "Unité",
    "label_en": "Libellé (anglais)",
    "label_fr": "Libellé (français)",
    "region": "Région",
    "iso_3166_2": "Code de la région (ISO 3166-2)",
    "group": "Groupe de population",
    "as_of": "Chiffres au",
    "pillar": "Pilier",
    "pillar_name": "Nom du pilier",
    "usd_millions": "Millions USD",
    "usd": "USD",
    "dataset": "Source des chiffres",
    "series": "Série",
    "rate": "Taux d’exécution (%)",
    "people": "Personnes",
}


# Terms that are not labels elsewhere in the dashboard: key -> (English, French) title.
TERM_TITLES: dict[str, tuple[str, str]] = {
    "people_of_concern": ("People of concern", "Personnes relevant du HCR"),
    "country_population": ("Total country population", "Population totale du pays"),
    "implementation_rate": ("Implementation rate", "Taux d’exécution"),
    "no_data": ("“No data”", "«\u202fPas de données\u202f»"),
    "not_available": ("“Not available”", "«\u202fNon disponible\u202f»"),
    "src_page": ("Operation page", "Page de l’opération"),
    "src_statistics": ("UNHCR statistics series", "Série statistique du HCR"),
    "sources_differ": ("Why the two sources differ", "Pourquoi les deux sources diffèrent"),
    "mid_year_returnees": ("Mid-2024 figures leave out returnees", "Les chiffres de mi-2024 omettent les retours"),
}

DEFINITIONS: dict[str, tuple[str, str]] = {
    "people_of_concern": (
        "Everyone UNHCR counts as under its protection or receiving its help in the country: the sum of the "
        "population groups below. The dashboard adds up only the groups you tick.",
        "Toutes les personnes que le HCR compte comme protégées ou aidées par lui dans le pays\u202f: la somme "
        "des groupes de population ci-dessous. Le tableau de bord n’additionne que les groupes cochés.",
    ),
    "refugees": (
        "People who left their own country because of war, violence or persecution and are recognised as "
        "needing protection abroad. Here: refugees who live in this country.",
        "Personnes qui ont quitté leur pays à cause d’une guerre, de violences ou de persécutions et dont le "
        "besoin de protection à l’étranger est reconnu. Ici\u202f: les réfugiés qui vivent dans ce pays.",
    ),
    "asylum_seekers": (
        "People who have asked for protection as refugees and are still waiting for the answer. Some will be "
        "recognised as refugees, others not.",
        "Personnes qui ont demandé une protection en tant que réfugiés et attendent encore la réponse. "
        "Certaines seront reconnues réfugiées, d’autres non.",
    ),
    "idps": (
        "Internally displaced persons: people forced to flee their homes who stayed inside their own country, "
        "without crossing a border. Only those UNHCR works with are counted.",
        "Personnes déplacées internes\u202f: personnes forcées de fuir leur foyer qui sont restées dans leur "
        "propre pays, sans franchir de frontière. Seules celles auprès desquelles le HCR intervient sont comptées.",
    ),
    "returned_idps": (
        "Internally displaced people who went back to their home area during the year. They are counted in "
        "the year they returned, and often still need help to settle again.",
        "Personnes déplacées internes revenues dans leur région d’origine pendant l’année. Elles sont comptées "
        "l’année de leur retour et ont souvent encore besoin d’aide pour se réinstaller.",
    ),
    "returned_refugees": (
        "Refugees from this country who came back home from abroad during the year (returnees). They are "
        "counted in the year they returned.",
        "Réfugiés originaires de ce pays qui y sont revenus de l’étranger pendant l’année (rapatriés). Ils sont "
        "comptés l’année de leur retour.",
    ),
    "oip": (
        "People outside their own country who need protection from being sent back but are not counted as "
        "refugees or asylum-seekers.",
        "Personnes hors de leur pays qui ont besoin d’être protégées contre un renvoi, mais ne sont comptées "
        "ni comme réfugiées ni comme demandeuses d’asile.",
    ),
    "stateless": (
        "People whom no country recognises as its citizens. Without a nationality they often lack papers and "
        "access to school, work or health care.",
        "Personnes qu’aucun pays ne reconnaît comme ses ressortissants. Sans nationalité, elles manquent souvent "
        "de papiers et d’accès à l’école, au travail ou aux soins.",
    ),
    "host_community": (
        "Residents of the places that take in displaced people, when UNHCR supports them as well.",
        "Habitants des lieux qui accueillent des personnes déplacées, lorsque le HCR les soutient aussi.",
    ),
    "ooc": (
        "People UNHCR protects or helps who fit none of the other groups.",
        "Personnes que le HCR protège ou aide et qui n’entrent dans aucun des autres groupes.",
    ),
    "p1": (
        "The part of the budget for protecting and helping refugees and asylum-seekers.",
        "La part du budget consacrée à la protection et à l’aide des réfugiés et des demandeurs d’asile.",
    ),
    "p2": (
        "The part of the budget for preventing and ending statelessness and for helping stateless people.",
        "La part du budget consacrée à prévenir et à faire cesser l’apatridie, et à aider les apatrides.",
    ),
    "p3": (
        "The part of the budget for helping people who came back home (returned refugees and returned "
        "internally displaced people) to settle again.",
        "La part du budget consacrée à aider les personnes revenues chez elles (réfugiés rapatriés et déplacés "
        "internes rentrés) à se réinstaller.",
    ),
    "p4": (
        "The part of the budget for protecting and helping internally displaced people.",
        "La part du budget consacrée à la protection et à l’aide des personnes déplacées internes.",
    ),
    "implementation_rate": (
        "Expenditure divided by budget for the same year: the share of the planned money that was actually "
        "spent. It cannot be computed when either figure is missing.",
        "Les dépenses divisées par le budget de la même année\u202f: la part des fonds prévus réellement "
        "dépensée. Il ne peut pas être calculé si l’un des deux chiffres manque.",
    ),
    "no_data": (
        "The source publishes nothing for this year, group or place: there is no figure at all. It is not "
        "a zero; a real zero is shown as 0.",
        "La source ne publie rien pour cette année, ce groupe ou ce lieu\u202f: il n’y a aucun chiffre. Ce "
        "n’est pas un zéro\u202f; un vrai zéro est affiché 0.",
    ),
    "not_available": (
        "The source lists the item but leaves its value blank, for instance an expenditure not yet known when "
        "the source was published. Not a zero either.",
        "La source mentionne l’élément mais laisse sa valeur vide, par exemple des dépenses encore inconnues à "
        "la publication. Ce n’est pas non plus un zéro.",
    ),
    "country_population": (
        "Everyone living in the country, displaced or not, as estimated by the United Nations. It puts the "
        "number of people of concern in proportion.",
        "Toutes les personnes qui vivent dans le pays, déplacées ou non, selon l’estimation des Nations unies. "
        "Elle permet de rapporter le nombre de personnes relevant du HCR à la population.",
    ),
    "src_page": (
        "Figures from UNHCR’s web page for the operation, as they stood when the page was written. Each "
        "edition gives a few years, sometimes only a total.",
        "Chiffres de la page web du HCR consacrée à l’opération, tels qu’ils étaient lors de sa rédaction. "
        "Chaque édition donne quelques années, parfois seulement un total.",
    ),
    "src_statistics": (
        "UNHCR’s population statistics: one figure per group at the end of each year, revised in later "
        "releases as records are checked.",
        "Les statistiques de population du HCR\u202f: un chiffre par groupe à la fin de chaque année, révisé "
        "dans les éditions suivantes à mesure que les données sont vérifiées.",
    ),
    "sources_differ": (
        "The two sources were published at different times, may be taken on different dates (mid-year or end "
        "of year) and do not always count a group the same way. Compare years within one source, never "
        "across the two.",
        "Les deux sources ont été publiées à des moments différents, peuvent se rapporter à des dates "
        "différentes (mi-année ou fin d’année) et ne comptent pas toujours un groupe de la même façon. "
        "Comparez les années au sein d’une même source, jamais d’une source à l’autre.",
    ),
    "mid_year_returnees": (
        "The newer operation page gives figures for the middle of 2024 and has no line for returned refugees "
        "or returned internally displaced people. Set beside a year that counts them, the total is not like "
        "for like.",
        "La page d’opération la plus récente donne des chiffres pour le milieu de 2024 et n’a pas de ligne "
        "pour les réfugiés rapatriés ni pour les déplacés internes rentrés. Face à une année qui les compte, "
        "le total n’est pas comparable.",
    ),
}

SOURCE_EXAMPLE = (
    "For {year}: {page} on the operation page ({page_date}), {statistics} in the statistics series "
    "({statistics_date}); the widest gap is for “{group}”: {group_page} against {group_statistics}.",
    "Pour {year}\u202f: {page} sur la page de l’opération ({page_date}), {statistics} dans la série "
    "statistique ({statistics_date})\u202f; l’écart le plus grand concerne le groupe «\u202f{group}\u202f»\u202f: "
    "{group_page} contre {group_statistics}.",
)


# Dates of each view (its `dates`, a derived.ViewDates), as short lines under a view or in its title.
WHAT: dict[str, tuple[str, str]] = {
    "population": ("People of concern", "Personnes relevant du HCR"),
    "regions": ("Refugees and asylum-seekers by region", "Réfugiés et demandeurs d’asile par région"),
    "offices": ("UNHCR offices", "Bureaux du HCR"),
    "country_population": ("Total country population", "Population totale du pays"),
    "budget": ("Budget and expenditure", "Budget et dépenses"),
    "budget_years": ("All years shown", "Toutes les années affichées"),
    "planning_target": ("Planning targets", "Objectifs de planification"),
    "year_end_result": ("Year-end results", "Résultats de fin d’année"),
    "contributions": ("Contributions listed", "Contributions listées"),
}
WHEN: dict[str, tuple[str, str]] = {
    "day": ("as of {start}", "au {start}"),
    "month": ("as of {start}", "situation en {start}"),
    "year_end": ("year ending {start}", "exercice clos le {start}"),
    "plan": ("planned for {start}", "prévus pour {start}"),
    "range": ("from {start} to {end}", "du {start} au {end}"),
    "years": ("{start} to {end}", "de {start} à {end}"),
}
PUBLISHED = ("{citation}, published {date}", "{citation}, publication\u202f: {date}")
DATE_LINE = ("{what}: {when}", "{what}\u202f: {when}")

SHARE_TEXT: dict[str, tuple[str, str]] = {
    "label": ("Copy link", "Copier le lien"),
    "copied": ("Link copied: it opens this view.", "Lien copié\u202f: il ouvre cette vue."),
}


# Figures derived for the people view and the map panel, and the note comparing the two sources.
CONTEXT: dict[str, tuple[str, str]] = {
    "population": ("Total country population: {value} ({when})", "Population totale du pays\u202f: {value} ({when})"),
    "per_thousand": (
        "{value} people of concern per 1,000 inhabitants",
        "{value} personnes relevant du HCR pour 1\u202f000 habitants",
    ),
    "idp_share": (
        "IDPs: {value} of people of concern",
        "Déplacés internes\u202f: {value} des personnes relevant du HCR",
    ),
}
OTHER_SOURCE: dict[str, tuple[str, str]] = {
    "page": ("the operation page", "la page de l’opération"),
    "statistics": ("the UNHCR statistics series", "la série statistique du HCR"),
}
DIFFERENCE = (
    "{other} also has figures for {year}: {total} ({when}), {gap} {direction} than {shown}.",
    "{other} a aussi des chiffres pour {year}\u202f: {total} ({when}), soit {gap} {direction} que {shown}.",
)
SAME_TOTAL = (
    "{other} also has figures for {year}: {total} ({when}), the same total.",
    "{other} a aussi des chiffres pour {year}\u202f: {total} ({when}), le même total.",
)
DIRECTION = {"more": ("more", "de plus"), "fewer": ("fewer", "de moins")}
ABSENT = ("{source} gives no figure for: {groups}.", "{source} ne donne pas de chiffre pour\u202f: {groups}.")
WIDEST = (
    "Widest gap: {group}, {shown} against {other}.",
    "Écart le plus grand\u202f: {group}, {shown} contre {other}.",
)
