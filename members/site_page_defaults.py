"""Default texts of the legal pages: loaded by a data migration, and again if a page is ever missing."""

PAGES = {
    "privacy": (
        "Datenschutzerklärung",
        "Privacy policy",
        """Das ECCAR-Portal zeigt die Aktionspläne und Umsetzungsberichte der Mitglieder der Europäischen Städtekoalition gegen Rassismus. Verantwortlich für die Datenverarbeitung ist das Sekretariat der Koalition (Anschrift siehe Impressum).

Besuch ohne Anmeldung: Das Portal setzt keine Cookies, bindet keine Inhalte Dritter ein (keine externen Schriften, Skripte, Karten oder Statistikdienste) und erstellt keine Nutzungsprofile. Der Webserver verarbeitet technisch notwendige Angaben (IP-Adresse, Zeitpunkt, aufgerufene Adresse), um die Seiten auszuliefern und Angriffe abzuwehren (Art. 6 Abs. 1 lit. e und f DSGVO).

Anmeldung für Koordinatorinnen und Koordinatoren: Beim Anmelden setzt das Portal ein Sitzungs-Cookie und ein Cookie zum Schutz von Formularen (CSRF). Beide sind technisch notwendig und werden nach dem Abmelden bzw. nach Ablauf der Sitzung ungültig. Änderungen an Mitgliedsdaten und Maßnahmen werden mit Name und Zeitpunkt protokolliert.

Veröffentlichte Kontaktpersonen: Namen und Kontaktdaten von Ansprechpersonen erscheinen nur mit dokumentierter Einwilligung oder wenn das Mitglied sie selbst veröffentlicht.

Ihre Rechte: Sie haben das Recht auf Auskunft, Berichtigung, Löschung, Einschränkung der Verarbeitung und Widerspruch sowie das Recht auf Beschwerde bei einer Datenschutz-Aufsichtsbehörde. Wenden Sie sich dazu an das Sekretariat.""",
        """The ECCAR Portal shows the action plans and implementation reports of the members of the European Coalition of Cities against Racism. The coalition's secretariat is responsible for processing data (address: see the imprint).

Visiting without logging in: the portal sets no cookies, loads nothing from third parties (no external fonts, scripts, maps or analytics) and builds no usage profiles. The web server processes what is technically necessary (IP address, time, requested address) to deliver the pages and to fend off attacks (Art. 6(1)(e) and (f) GDPR).

Login for coordinators: logging in sets a session cookie and a cookie that protects forms (CSRF). Both are technically necessary and become invalid when you log out or the session expires. Changes to member data and measures are recorded with name and time.

Published contact persons: names and contact details appear only with recorded consent, or when the member publishes them itself.

Your rights: you may ask for access, rectification, erasure, restriction of processing, and object to processing; you may also complain to a data protection supervisory authority. Please contact the secretariat.""",
    ),
    "imprint": (
        "Impressum",
        "Imprint",
        """Anbieter dieses Portals ist die Europäische Städtekoalition gegen Rassismus (ECCAR), vertreten durch ihr Sekretariat in Heidelberg.

Anschrift, E-Mail-Adresse, Vertretungsberechtigte und die für den Inhalt verantwortliche Person trägt das Sekretariat hier ein (Verwaltung → Seiten).

Die Inhalte der Mitgliedsseiten (Aktionspläne, Maßnahmen, Berichte) verantworten die jeweiligen Mitglieder. Angaben aus öffentlichen Quellen sind mit ihrer Quelle gekennzeichnet.""",
        """This portal is provided by the European Coalition of Cities against Racism (ECCAR), represented by its secretariat in Heidelberg.

The secretariat enters the postal address, e-mail address, authorised representatives and the person responsible for the content here (admin → site pages).

The members are responsible for the content of their pages (action plans, measures, reports). Facts taken from public sources are marked with their source.""",
    ),
    "accessibility": (
        "Erklärung zur Barrierefreiheit",
        "Accessibility statement",
        """Die Europäische Städtekoalition gegen Rassismus ist bemüht, das ECCAR-Portal im Einklang mit der Barrierefreie-Informationstechnik-Verordnung (BITV 2.0) und der Norm EN 301 549, also den Web Content Accessibility Guidelines (WCAG) 2.1 auf Stufe AA, barrierefrei zugänglich zu machen.

Stand der Vereinbarkeit: Das Portal ist weitgehend mit den Anforderungen vereinbar. Jede öffentliche Seite wird bei jeder Änderung automatisch in beiden Sprachen mit axe-core geprüft; die Seiten sind mit der Tastatur bedienbar, haben einen sichtbaren Fokus, einen Link zum Hauptinhalt, Landmarken und bleiben bei 200 % Vergrößerung vollständig nutzbar. Diagramme haben eine Textbeschreibung und eine Datentabelle.

Nicht barrierefreie Inhalte: Von Mitgliedern hochgeladene PDF-Dokumente (Ratsbeschlüsse, Berichte) sind nicht immer barrierefrei. Von Mitgliedern eingegebene Texte liegen oft nur in einer Sprache vor; die Seiten weisen darauf hin.

Diese Erklärung beruht auf einer Selbstbewertung.

Feedback und Kontakt: Wenn Ihnen Mängel auffallen oder Sie Inhalte in einer zugänglichen Form benötigen, wenden Sie sich an das Sekretariat (Kontakt siehe Impressum).

Durchsetzungsverfahren: Erhalten Sie keine zufriedenstellende Antwort, können Sie sich an die zuständige Schlichtungs- bzw. Durchsetzungsstelle wenden; das Sekretariat trägt sie hier ein.""",
        """The European Coalition of Cities against Racism strives to make the ECCAR Portal accessible in accordance with the German Barrier-Free Information Technology Ordinance (BITV 2.0) and the standard EN 301 549, that is, the Web Content Accessibility Guidelines (WCAG) 2.1 at level AA.

Compliance status: the portal is largely compliant. Every public page is checked automatically with axe-core in both languages on every change; the pages can be used with the keyboard, have a visible focus, a link to the main content and landmarks, and remain fully usable at 200 % zoom. Charts have a text description and a data table.

Content that is not accessible: PDF documents uploaded by members (council resolutions, reports) are not always accessible. Texts entered by members are often available in one language only; the pages say so.

This statement is based on a self-assessment.

Feedback and contact: if you notice barriers or need content in an accessible form, please contact the secretariat (see the imprint).

Enforcement procedure: if you do not receive a satisfactory answer, you can turn to the competent conciliation or enforcement body; the secretariat enters it here.""",
    ),
}

# The sentences of the default texts that stand in for what only the secretariat can fill in (an address, the
# enforcement body). A paragraph holding one is never shown in public: the page says the fact is not yet provided.
PLACEHOLDERS = (
    "trägt das Sekretariat hier ein",
    "das Sekretariat trägt sie hier ein",
    "The secretariat enters",
    "the secretariat enters it here",
)


def is_placeholder(paragraph: str) -> bool:
    return any(phrase in paragraph for phrase in PLACEHOLDERS)


def still_default(key: str, body_de: str) -> bool:
    """Whether a legal page still holds the German text it started with (the work queue and its admin filter)."""
    return key in PAGES and body_de.strip() == PAGES[key][2].strip()
