"""The real seed data: only what the five source pages in shared/seeds say (see FACTS.md)."""

import datetime as dt

SOURCES = {
    "aachen": {
        "publisher": "StädteRegion Aachen",
        "title": "Europäische Städtekoalition gegen Rassismus (ECCAR)",
        "url": "",
    },
    "ratzeburg": {
        "publisher": "Stadt Ratzeburg",
        "title": "Europäische Städtekoalition gegen Rassismus - European Coalition of Cities against Racism (ECCAR)",
        "url": "",
    },
    "dresden": {
        "publisher": "Landeshauptstadt Dresden",
        "title": "Europäische Städtekoalition gegen Rassismus",
        "url": "https://www.dresden.de/de/rathaus/politik/demokratie-respekt/staedtekoalition.php",
        "note": "Erstellt 29.01.2021, aktualisiert 21.11.2024.",
    },
    "duesseldorf": {
        "publisher": "Landeshauptstadt Düsseldorf, Büro für Internationale & Europäische Angelegenheiten",
        "title": "Netzwerkarbeit des Büros für Internationale & Europäische Angelegenheiten",
        "url": "",
    },
    "heilbronn": {
        "publisher": "Stadt Heilbronn",
        "title": "Kommunale Allianzen und Strategien gegen Rassismus und Hass",
        "url": "",
    },
}

# German titles as Dresden gives them; English titles as the coalition uses them.
COMMITMENTS = [
    (1, "Verstärkte Wachsamkeit gegenüber Rassismus", "Greater Vigilance Against Racism"),
    (2, "Bewertung der örtlichen Situation und der kommunalen Maßnahmen", "Assessing Racism and Discrimination and Monitoring Municipal Policies"),
    (3, "Bessere Unterstützung für die Opfer von Rassismus und Diskriminierung", "Better Support for the Victims of Racism and Discrimination"),
    (4, "Bessere Beteiligungs- und Informationsmöglichkeiten für die Bürgerinnen und Bürger", "More Participation and Better Informed City Dwellers"),
    (5, "Die Stadt als aktive Förderin gleicher Chancen", "The City as an Active Supporter of Equal Opportunity Practices"),
    (6, "Die Stadt als Arbeitgeberin und Dienstleisterin", "The City as an Equal Opportunities Employer and Service Provider"),
    (7, "Chancengleichheit auf dem Wohnungsmarkt", "Fair Access to Housing"),
    (8, "Bekämpfung von Rassismus und Diskriminierung durch Bildung und Erziehung", "Challenging Racism and Discrimination through Education"),
    (9, "Förderung der kulturellen Vielfalt", "Promoting Cultural Diversity"),
    (10, "Rassistische Gewalttaten und Konfliktmanagement", "Hate Crimes and Conflict Management"),
]

# What commitments 1 and 2 ask, in the portal's words (a summary, not the official wording), after the coalition's
# text of the plan: http://www.eccar.info/10-point-plan-action. The other commitments get a summary once their
# official text has been read; until then their pages link to it.
COMMITMENT_SUMMARIES = {
    1: (
        "Auf städtischer Ebene ein Netzwerk aufbauen, das Rassismus beobachtet, wachsam bleibt und Betroffenen solidarisch zur Seite steht.",
        "Set up a network at city level that monitors racism, stays vigilant and stands by those affected in solidarity.",
    ),
    2: (
        "Daten zu Rassismus und Diskriminierung erheben oder die Erhebung ausbauen, erreichbare Ziele und gemeinsame Indikatoren "
        "festlegen und damit die Wirkung der kommunalen Politik bewerten.",
        "Start or extend the collection of data on racism and discrimination, set achievable objectives and common indicators, "
        "and use them to assess the impact of municipal policies.",
    ),
}

MEMBERS = [
    {
        "slug": "staedteregion-aachen",
        "name": "StädteRegion Aachen",
        "kind": "district",
        "country": "DE",
        "admitted_on": dt.date(2019, 11, 1),
        "admitted_precision": "month",
        "admission_note": "Erster Kreis als Mitglied der Europäischen Städtekoalition gegen Rassismus.",
        "description": "Seit November 2019 ist die StädteRegion Aachen als erster Kreis Mitglied bei der Europäischen "
        "Städtekoalition gegen Rassismus. Durch ihre Mitgliedschaft verpflichtet sich die StädteRegion Aachen, "
        "den 10-Punkte-Aktionsplan der Koalition umzusetzen.",
        "source": "aachen",
        "authorities": [("StädteRegion Aachen", "district")],
        "contacts": [
            {
                "name": "Frau Verena Mohnen",
                "phone": "+49 241 5198-4611",
                "fax": "+49 241 5198-84611",
                "email": "verena.mohnen@staedteregion-aachen.de",
            }
        ],
    },
    {
        "slug": "ratzeburg-amt-lauenburgische-seen",
        "name": "Stadt Ratzeburg und Amt Lauenburgische Seen",
        "kind": "joint",
        "country": "DE",
        "admitted_on": dt.date(2024, 5, 1),
        "admitted_precision": "month",
        "admission_note": "Gemeinsam aufgenommen nach einer mehrmonatigen Bewerbungsphase: eine Mitgliedschaft, "
        "zwei Kommunen.",
        "description": "Die Initiative zur Bewerbung ging vom Begleitausschuss der Partnerschaft für Demokratie der "
        "Stadt Ratzeburg und des Amtes Lauenburgische Seen aus: Ein konkreter Fall und die Intervention einer "
        "Betroffenen führten dazu, die Arbeit gegen Rassismus nicht mehr nur punktuell mit einzelnen "
        "Präventionsprojekten, sondern strukturell anzulegen. Die Partnerschaft für Demokratie unterstützt die "
        "Umsetzung mit der Einrichtung einer Koordinierungsstelle. Kampagne: „Herz einschalten – Rassismus "
        "ausschalten“ mit persönlichen Videobotschaften gegen Rassismus und Diskriminierung.",
        "source": "ratzeburg",
        "authorities": [("Stadt Ratzeburg", "city"), ("Amt Lauenburgische Seen", "amt")],
        "plan": {
            "adopting_body": "Kommunalpolitische Gremien der Stadt Ratzeburg und des Amtes Lauenburgische Seen",
            "adoption_note": "In Stadt und Amt beraten und jeweils einstimmig beschlossen.",
        },
    },
    {
        "slug": "dresden",
        "name": "Landeshauptstadt Dresden",
        "kind": "city",
        "country": "DE",
        "admitted_on": dt.date(2016, 11, 1),
        "admitted_precision": "month",
        "admission_note": "Mitglied gemäß einem Beschluss des Stadtrates.",
        "lead_department": "Bürgermeisteramt",
        "description": "Mit dem Beitritt verpflichtet sich die Stadt, den Zehn-Punkte-Aktionsplan gegen Rassismus "
        "umzusetzen, mit Einzelmaßnahmen, die auf die örtlichen Bedarfe zugeschnitten sind. Neben anderen Ämtern "
        "und Fachbereichen sollen auch die lokalen zivilgesellschaftlichen Akteurinnen und Akteure in die "
        "Umsetzung eingebunden werden.",
        "source": "dresden",
        "authorities": [("Landeshauptstadt Dresden", "city")],
        "report": {
            "period_start": dt.date(2017, 1, 1),
            "period_end": dt.date(2020, 9, 30),
            "period_label": "2017 – September 2020",
            "title": "Bericht zur Umsetzung des Zehn-Punkte-Aktionsplans",
            "summary": "Ausgewählte Beiträge der Landeshauptstadt Dresden zur Prävention und Beseitigung von "
            "Rassismus und Diskriminierung im Zeitraum 2017 – September 2020.",
            "documents": [("de", "Bericht ECCAR"), ("en", "Report ECCAR")],
        },
    },
    {
        "slug": "duesseldorf",
        "name": "Landeshauptstadt Düsseldorf",
        "kind": "city",
        "country": "DE",
        "admitted_on": dt.date(2016, 11, 1),
        "admitted_precision": "month",
        "lead_department": "Gleichstellungsbüro",
        "description": "Bei den öffentlichen Gesamtkonferenzen und internen Treffen von ECCAR tauschen sich die "
        "Mitglieder mit Gästen und Partnern aus. Über die Forschungsarbeitsgruppe bietet ECCAR forschungsbasierte "
        "Instrumente für die Planung und Umsetzung von Maßnahmen.",
        "source": "duesseldorf",
        "authorities": [("Landeshauptstadt Düsseldorf", "city")],
        "networks": [
            {
                "name": "City Directors of International Affairs Network",
                "abbreviation": "CDIA",
                "description": "Peer-Netzwerk von Verwaltungsfachleuten aus Städten in Europa und Nordamerika, "
                "entstanden auf Initiative des German Marshall Fund.",
            },
            {
                "name": "Covenant of Mayors",
                "abbreviation": "",
                "founded_year": 2008,
                "description": "Konvent der Bürgermeister: mehr als 7.000 Kommunal- und Regionalbehörden in 57 Ländern.",
                "lead_department": "Amt für Umwelt- und Verbraucherschutz",
            },
            {
                "name": "EUROCITIES",
                "abbreviation": "",
                "founded_year": 1986,
                "description": "Mehr als 200 Städte aus 38 Ländern; sechs thematische Foren.",
            },
            {
                "name": "EUROPE DIRECT Netzwerk",
                "abbreviation": "",
                "description": "EUROPE DIRECT Düsseldorf; europaweit über 450 Informations- und Aktionszentren, "
                "48 in Deutschland.",
            },
            {
                "name": "International Observatory of Mayors on Living Together",
                "abbreviation": "",
                "description": "Entstanden nach der Living Together Konferenz 2015 in Montreal (Erklärung von Montreal).",
                "since_year": 2016,
            },
            {
                "name": "Mayors for Peace",
                "abbreviation": "",
                "founded_year": 1982,
                "description": "1982 vom Bürgermeister von Hiroshima gegründet; über 7.800 Städte in 163 Ländern.",
                "since_year": 2014,
            },
            {
                "name": "Rat der Gemeinden und Regionen Europas",
                "abbreviation": "RGRE / CEMR",
                "description": "Die deutsche Sektion hat rund 800 Mitglieder.",
            },
            {
                "name": "Strong Cities Network",
                "abbreviation": "SCN",
                "founded_year": 2015,
                "description": "Im September 2015 bei der Generalversammlung der Vereinten Nationen ins Leben gerufen; "
                "über 100 Städte.",
                "since_year": 2018,
            },
        ],
    },
    {
        "slug": "heilbronn",
        "name": "Stadt Heilbronn",
        "kind": "city",
        "country": "DE",
        # The source does not say when Heilbronn joined ECCAR: no admission date.
        "source": "heilbronn",
        "authorities": [("Stadt Heilbronn", "city")],
        "measures": [
            {
                # The source does not name a commitment; the portal files KommA under 6 because the project
                # is about the administration as employer (staff facing hostility) and its services.
                "commitment": 6,
                "title": "KommA – Kommunale Allianzen und Strategien gegen Rassismus und Hass",
                "description": "Heilbronn ist eine von bundesweit zehn Modellkommunen im Bundesprojekt KommA. "
                "Ziel des auf zwei Jahre angelegten Projekts: nachhaltige Strategien, Strukturen und Prozesse; "
                "Unterstützungsstrukturen für Mitarbeitende, die Anfeindungen erleben; Sensibilisierung für "
                "Rassismus und Hass nach innen und außen. Gefördert und unterstützt von der Beauftragten der "
                "Bundesregierung für Migration, Flüchtlinge und Integration / Beauftragten der Bundesregierung für "
                "Antirassismus durch externe Beratung und die Finanzierung von Fortbildungen.",
                "responsible_unit": "Stabsstelle Chancengerechtigkeit, in enger Zusammenarbeit mit anderen Ämtern",
                # "wird ... umgesetzt" (is being carried out) in the source.
                "status": "in_progress",
            }
        ],
    },
]

WORKING_GROUPS = [
    {
        "slug": "small-cities-rural-areas",
        "name_de": "Kleine Städte und ländliche Gebiete",
        "name_en": "Small Cities and Rural Areas",
        "founded_on": dt.date(2025, 2, 5),
        "initiated_by": ["ratzeburg-amt-lauenburgische-seen"],
        "description": "Virtuell gegründet auf Initiative der Stadt Ratzeburg und des Amtes Lauenburgische Seen. "
        "Die Arbeitsgruppe unterstützt kleinere Kommunen mit einer gemeinsamen Plattform für Ressourcen, "
        "Strategien und gute Praxis. Begrüßung durch Heinz Dohrendorff (Amtsvorsteher des Amtes Lauenburgische "
        "Seen) und Eckhard Graf (Bürgermeister der Stadt Ratzeburg). Themen des Auftakts: eine Bedarfsanalyse und "
        "was die Gruppe kleinen Städten bieten kann.",
        "participants_note": "Mehr als 15 Mitgliedsstädte nahmen am Auftakt teil.",
        "source": "ratzeburg",
    }
]
