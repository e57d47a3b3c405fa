"""The German texts of the demo library: realistic guidance for coordinators of volunteering
with refugees in Berlin (fictional where it names people; the law as of 2026, simplified).

Each topic: slug → (title, category slug, tags, summary, paragraphs). The demo varies and
combines them into ~150 materials; `FILE_ONLY_PHRASE` appears only inside the Führungszeugnis
guide's files, so that a search for it proves the text inside files is searched.
"""

FILE_ONLY_PHRASE = "Einsichtnahme ohne Kopie mit Datum im Einsatzbogen vermerken"

TOPICS = {
    "fuehrungszeugnis": (
        "Leitfaden: Erweitertes Führungszeugnis für Ehrenamtliche",
        "recht-und-versicherung",
        ["Führungszeugnis", "Kinderschutz", "§72a SGB VIII"],
        "Wer braucht Führungszeugnisse, wie beantragen Freiwillige sie kostenfrei, und was "
        "dokumentiert die Unterkunft? Nach §72a SGB VIII für Tätigkeiten mit Kindern.",
        [
            "Nach §72a SGB VIII dürfen Träger der Kinder- und Jugendhilfe keine Personen "
            "beschäftigen, die wegen bestimmter Straftaten rechtskräftig verurteilt sind. Für "
            "Ehrenamtliche, die Kinder und Jugendliche betreuen, beaufsichtigen oder regelmäßig "
            "Kontakt zu ihnen haben, wird deshalb ein erweitertes Führungszeugnis verlangt.",
            "Die Freiwillige beantragt das Zeugnis beim Bürgeramt mit einer Bestätigung der "
            "Unterkunft, dass sie ehrenamtlich tätig ist. Mit dieser Bestätigung ist das "
            "Führungszeugnis gebührenfrei. Die Ausstellung dauert in der Regel zwei Wochen.",
            "Die Unterkunft sieht das Zeugnis nur ein. Bitte die "
            + FILE_ONLY_PHRASE
            + " und das Original sofort zurückgeben. Das Zeugnis soll bei der Vorlage nicht "
            "älter als drei Monate sein und wird alle fünf Jahre erneut eingesehen.",
            "Nicht jede Tätigkeit braucht ein Zeugnis: Entscheidend sind Art, Intensität und "
            "Dauer des Kontakts. Ein einmaliges Sommerfest ohne Einzelkontakt fällt nicht "
            "darunter, die wöchentliche Hausaufgabenhilfe schon.",
        ],
    ),
    "versicherung": (
        "Versicherungsschutz im Ehrenamt",
        "recht-und-versicherung",
        ["Versicherung", "Ehrenamt", "Haftpflicht", "Unfallversicherung"],
        "Unfall- und Haftpflichtversicherung für Freiwillige: was der Träger abdeckt, was die "
        "Sammelverträge des Landes Berlin leisten und wann die private Versicherung greift.",
        [
            "Ehrenamtlich Tätige sind in vielen Fällen über die gesetzliche Unfallversicherung "
            "geschützt, wenn sie im Auftrag eines gemeinnützigen Trägers handeln. Der Schutz "
            "gilt auch auf dem direkten Weg zum Einsatzort und zurück.",
            "Das Land Berlin hat Sammelverträge für Haftpflicht und Unfall abgeschlossen, die "
            "nachrangig greifen: wenn weder der Träger noch eine private Versicherung zahlt. "
            "Eine Anmeldung der Freiwilligen ist dafür nicht nötig.",
            "Schäden bitte sofort der Koordination melden: Datum, Ort, Beteiligte, Zeugen. "
            "Bei Personenschäden zusätzlich eine Unfallanzeige an die Unfallkasse Berlin.",
        ],
    ),
    "datenschutz": (
        "Datenschutz bei Freiwilligen: DSGVO in der Unterkunft",
        "datenschutz",
        ["Datenschutz", "DSGVO", "Einwilligung"],
        "Welche Daten von Freiwilligen die Koordination speichern darf, wie lange, und wie eine "
        "Einwilligung aussieht. Mit Hinweisen zu Fotos und Messenger-Gruppen.",
        [
            "Die Koordination speichert nur, was für den Einsatz nötig ist: Name, Kontakt, "
            "Verfügbarkeit, Sprachen und ggf. die Einsichtnahme in das Führungszeugnis. "
            "Rechtsgrundlage ist Art. 6 Abs. 1 lit. b DSGVO (Ehrenamtsvereinbarung).",
            "Fotos von Bewohner:innen und Freiwilligen brauchen eine schriftliche Einwilligung, "
            "die jederzeit widerrufen werden kann. Kinder werden grundsätzlich nicht "
            "erkennbar fotografiert.",
            "Messenger-Gruppen mit privaten Telefonnummern sind heikel: Bitte die Teilnahme "
            "freiwillig halten und keine Gesundheits- oder Asyldaten teilen.",
            "Nach Ende des Engagements werden die Daten nach einem Jahr gelöscht, sofern keine "
            "Aufbewahrungspflicht besteht (z. B. Bescheinigungen).",
        ],
    ),
    "vereinbarung": (
        "Ehrenamtsvereinbarung (Vorlage)",
        "vorlagen",
        ["Vorlage", "Ehrenamtsvereinbarung", "Onboarding"],
        "Eine Vorlage für die schriftliche Vereinbarung zwischen Unterkunft und Freiwilligen: "
        "Aufgaben, Ansprechperson, Verschwiegenheit, Versicherung, Beendigung.",
        [
            "Zwischen der Unterkunft und der/dem Freiwilligen wird folgende Vereinbarung "
            "über ein unentgeltliches ehrenamtliches Engagement geschlossen.",
            "Aufgaben: Die Freiwillige unterstützt im Bereich ______ (z. B. Sprachcafé, "
            "Hausaufgabenhilfe) im Umfang von etwa ___ Stunden pro Woche.",
            "Verschwiegenheit: Persönliche Informationen über Bewohner:innen werden vertraulich "
            "behandelt, auch nach Ende des Engagements.",
            "Die Vereinbarung kann von beiden Seiten jederzeit ohne Angabe von Gründen beendet "
            "werden. Auf Wunsch stellt die Unterkunft eine Bescheinigung aus.",
        ],
    ),
    "anerkennung": (
        "Anerkennungskultur: Danke sagen, das ankommt",
        "freiwilligenmanagement",
        ["Anerkennung", "Bindung", "Freiwilligenmanagement"],
        "Ideen für Wertschätzung im Alltag und zu besonderen Anlässen: vom persönlichen Dank "
        "über das Sommerfest bis zur Ehrenamtskarte und zum Zeugnis.",
        [
            "Anerkennung beginnt im Alltag: begrüßen, nachfragen, zuhören. Freiwillige bleiben, "
            "wenn sie merken, dass ihre Arbeit gesehen wird.",
            "Einmal im Jahr ein Dankeschön-Fest mit den Bewohner:innen; zum Tag des Ehrenamts "
            "am 5. Dezember persönliche Karten.",
            "Formelle Anerkennung: Tätigkeitsnachweise, Zeugnisse, die Berliner Ehrenamtskarte "
            "und der FreiwilligenPass dokumentieren das Engagement.",
        ],
    ),
    "sprachcafe": (
        "Sprachcafé organisieren: Schritt für Schritt",
        "methoden",
        ["Sprachcafé", "Deutsch lernen", "Methoden"],
        "Wie ein wöchentliches Sprachcafé in der Unterkunft gelingt: Raum, Material, Themen, "
        "Rollen der Freiwilligen und Umgang mit gemischten Niveaus.",
        [
            "Ein Sprachcafé ist kein Unterricht: Im Mittelpunkt steht das Gespräch auf Deutsch "
            "in entspannter Runde. Tee, Kaffee und Kekse helfen.",
            "Bewährt haben sich Tische nach Niveau (Anfänger, Fortgeschrittene) und ein Thema "
            "pro Woche: Einkaufen, Arzttermin, Wohnungssuche, Feiertage.",
            "Material: Bildkarten, Wortschatzlisten, Spiele wie Memory oder Stadt-Land-Fluss. "
            "Kinderbetreuung parallel erhöht die Teilnahme von Müttern deutlich.",
        ],
    ),
    "erste-schritte": (
        "Erste Schritte als Ehrenamtskoordinator:in (EAK)",
        "freiwilligenmanagement",
        ["Einarbeitung", "EAK", "Erste Schritte"],
        "Der Einstieg in die Koordination: die ersten 30 Tage, wichtige Kontakte im Bezirk, "
        "Übergabe von der Vorgängerin, Überblick über Angebote und Freiwillige.",
        [
            "In den ersten Wochen geht es ums Kennenlernen: Leitung, Sozialarbeit, Bewohnerrat, "
            "die aktiven Freiwilligen und die Nachbarschaft.",
            "Verschaffen Sie sich einen Überblick: Welche Angebote laufen, wer trägt sie, wo "
            "fehlen Freiwillige? Die Übergabeliste der Vorgängerin ist Gold wert.",
            "Vernetzen Sie sich früh mit der Regionalkoordination der BfE und den anderen "
            "Koordinator:innen im Bezirk: Die monatliche Werkstatt ist ein guter Anfang.",
            "Nehmen Sie an der Basis-Fortbildung teil: Sie deckt Recht, Datenschutz, "
            "Freiwilligenmanagement und Selbstfürsorge ab.",
        ],
    ),
    "ehrenamtskarte": (
        "Berliner Ehrenamtskarte beantragen",
        "freiwilligenmanagement",
        ["Ehrenamtskarte", "Anerkennung", "Berlin"],
        "Voraussetzungen (mindestens 200 Stunden im Jahr bzw. drei Jahre Engagement), Antrag "
        "über die Einsatzstelle und Vergünstigungen der Berliner Ehrenamtskarte.",
        [
            "Die Berliner Ehrenamtskarte erhalten Engagierte, die sich mindestens drei Jahre "
            "lang oder im letzten Jahr mindestens 200 Stunden freiwillig engagiert haben.",
            "Den Antrag stellt die Einsatzstelle mit einer Bestätigung der geleisteten Stunden; "
            "die Stundenübersicht der Plattform hilft dabei.",
            "Mit der Karte gibt es Vergünstigungen in Museen, Bädern, Theatern und bei vielen "
            "Partnern in Berlin und Brandenburg.",
        ],
    ),
    "freiwilligenpass": (
        "FreiwilligenPass: Engagement nachweisen",
        "freiwilligenmanagement",
        ["FreiwilligenPass", "Nachweis", "Anerkennung"],
        "Der FreiwilligenPass dokumentiert Tätigkeiten und erworbene Kompetenzen – hilfreich für "
        "Bewerbungen, Ausbildung und Studium.",
        [
            "Der FreiwilligenPass ist ein Nachweis über freiwilliges Engagement, den die "
            "Einsatzstelle ausstellt. Er beschreibt Aufgaben, Zeitraum und Kompetenzen.",
            "Gerade für junge Freiwillige und für Geflüchtete, die selbst aktiv sind, ist der "
            "Pass bei Bewerbungen wertvoll.",
            "Bitte konkrete Tätigkeiten nennen, etwa: Leitung des Sprachcafés, Organisation "
            "von Ausflügen, Begleitung zu Behörden.",
        ],
    ),
    "foerderung": (
        "Fördermöglichkeiten für Projekte mit Freiwilligen",
        "foerderung",
        ["Förderung", "Projektmittel", "Anträge"],
        "Überblick über Fördertöpfe für kleine Projekte: Bezirksmittel, Stiftungen, "
        "Nachbarschaftsfonds, Landesprogramme. Mit Tipps für den ersten Antrag.",
        [
            "Für kleine Projekte bis 1.000 Euro eignen sich die Aktionsfonds der Bezirke und "
            "Nachbarschaftsfonds; Anträge sind kurz und werden schnell entschieden.",
            "Stiftungen fördern oft thematisch: Bildung, Integration, Kinder und Jugend. Ein "
            "klares Ziel, ein Zeitplan und ein einfacher Finanzplan überzeugen.",
            "Landesprogramme haben feste Fristen. Planen Sie zwei Monate Vorlauf ein und "
            "sprechen Sie die Regionalkoordination an, sie hat Musteranträge.",
        ],
    ),
    "gewaltschutz": (
        "Gewaltschutzkonzept: Rolle der Freiwilligen",
        "recht-und-versicherung",
        ["Gewaltschutz", "Kinderschutz", "Verhaltenskodex"],
        "Was Freiwillige über das Gewaltschutzkonzept der Unterkunft wissen müssen: "
        "Verhaltenskodex, Meldewege und Ansprechpersonen.",
        [
            "Jede Unterkunft hat ein Gewaltschutzkonzept. Freiwillige unterschreiben den "
            "Verhaltenskodex und kennen die Ansprechperson für Gewaltschutz.",
            "Bei einem Verdacht gilt: Ruhe bewahren, nicht selbst ermitteln, sofort die "
            "Ansprechperson informieren und die Beobachtung sachlich notieren.",
            "Einzelkontakte mit Kindern in geschlossenen Räumen vermeiden; Türen offen lassen.",
        ],
    ),
    "gewinnung": (
        "Freiwillige gewinnen: Aufrufe, die wirken",
        "freiwilligenmanagement",
        ["Freiwilligengewinnung", "Öffentlichkeitsarbeit", "Engagementbörse"],
        "Konkrete Aufgaben statt allgemeiner Bitten: wie ein Engagementangebot formuliert wird, "
        "wo es veröffentlicht wird und wie schnell die Antwort kommen sollte.",
        [
            "Menschen engagieren sich für konkrete Aufgaben: Statt „Helfer:innen gesucht“ "
            "lieber „Dienstags 16–18 Uhr Hausaufgabenhilfe für Grundschulkinder“.",
            "Veröffentlichen Sie das Angebot auf der Engagementbörse, bei der "
            "Freiwilligenagentur des Bezirks und in der Nachbarschaft.",
            "Antworten Sie innerhalb von drei Tagen: Wer lange wartet, engagiert sich woanders.",
        ],
    ),
    "erstgespraech": (
        "Erstgespräch mit neuen Freiwilligen (Leitfaden)",
        "methoden",
        ["Erstgespräch", "Onboarding", "Leitfaden"],
        "Fragen für das erste Kennenlernen: Motivation, Zeit, Erfahrungen, Erwartungen und "
        "Grenzen. Mit Hinweisen zu Führungszeugnis und Vereinbarung.",
        [
            "Was motiviert Sie? Wie viel Zeit möchten Sie einbringen, regelmäßig oder "
            "projektweise? Welche Sprachen sprechen Sie?",
            "Klären Sie Erwartungen auf beiden Seiten und sprechen Sie Grenzen an: Freiwillige "
            "ersetzen keine Sozialarbeit und keine Rechtsberatung.",
            "Zum Abschluss: nächste Schritte, Hospitation, ggf. Führungszeugnis und "
            "Ehrenamtsvereinbarung.",
        ],
    ),
    "selbstfuersorge": (
        "Selbstfürsorge und Grenzen im Engagement",
        "methoden",
        ["Selbstfürsorge", "Supervision", "Belastung"],
        "Wie Freiwillige und Koordinator:innen mit belastenden Geschichten umgehen, "
        "Überforderung erkennen und Unterstützung finden.",
        [
            "Engagement mit Geflüchteten kann belasten: Geschichten von Flucht und Verlust "
            "gehen nahe. Es ist normal, sich Unterstützung zu holen.",
            "Achten Sie auf Warnzeichen: Schlafprobleme, Gereiztheit, das Gefühl, nie genug "
            "zu tun. Pausen sind erlaubt und wichtig.",
            "Die BfE bietet Gruppensupervision für Koordinator:innen an; Freiwillige können "
            "an Austauschtreffen teilnehmen.",
        ],
    ),
    "sozialraum": (
        "Die Unterkunft im Sozialraum vernetzen",
        "sozialraum-und-nachbarschaft",
        ["Sozialraum", "Nachbarschaft", "Netzwerk"],
        "Nachbarschaftshäuser, Schulen, Vereine, Kirchengemeinden und Moscheen: wie die "
        "Unterkunft Teil des Kiezes wird.",
        [
            "Eine Sozialraumkarte zeigt, wer in der Nähe aktiv ist: Nachbarschaftshäuser, "
            "Familienzentren, Sportvereine, Bibliotheken, religiöse Gemeinden.",
            "Gemeinsame Aktionen bauen Vorurteile ab: ein Kiezfest, ein Repair-Café, "
            "ein offener Gartentag.",
            "Laden Sie die Nachbarschaft regelmäßig ein, etwa zum Tag der offenen Tür.",
        ],
    ),
    "kiezspaziergang": (
        "Kiezspaziergang mit neuen Bewohner:innen",
        "sozialraum-und-nachbarschaft",
        ["Kiezspaziergang", "Orientierung", "Nachbarschaft"],
        "Eine Methode zur Orientierung im neuen Wohnumfeld: Route, Stationen, "
        "Sprachmittlung und Materialien.",
        [
            "Der Spaziergang führt zu Orten des Alltags: Supermarkt, Apotheke, Ärztehaus, "
            "Schule, Bibliothek, Spielplatz, Bushaltestelle.",
            "Planen Sie 90 Minuten, kleine Gruppen und eine Sprachmittlerin ein.",
            "Eine einfache Karte mit Piktogrammen zum Mitnehmen hilft beim Wiederfinden.",
        ],
    ),
    "aushang-mehrsprachig": (
        "Mehrsprachige Aushänge: Vorlagen und Tipps",
        "mehrsprachiges",
        ["Mehrsprachig", "Aushang", "Übersetzung"],
        "Vorlagen für Aushänge in Deutsch, Englisch, Arabisch, Farsi, Ukrainisch und Russisch: "
        "Sprachcafé, Hausaufgabenhilfe, Sprechstunde.",
        [
            "Aushänge wirken, wenn sie kurz sind: Was, wann, wo, für wen – und ein Bild.",
            "Lassen Sie Übersetzungen von Muttersprachler:innen prüfen; automatische "
            "Übersetzungen sind ein Anfang, kein Ende.",
            "Sprachcafé – Language Café – مقهى اللغة – Мовне кафе: jeden Mittwoch 17 Uhr im "
            "Gemeinschaftsraum.",
        ],
    ),
    "sprachmittlung": (
        "Sprachmittlung: mit Dolmetschenden arbeiten",
        "mehrsprachiges",
        ["Sprachmittlung", "Dolmetschen", "Mehrsprachig"],
        "Wann professionelle Sprachmittlung nötig ist, wie Freiwillige dolmetschen können und "
        "welche Grenzen es gibt.",
        [
            "Bei Arztterminen, Behörden und Beratung ist professionelle Sprachmittlung nötig. "
            "Freiwillige helfen im Alltag, nicht bei rechtlich bindenden Gesprächen.",
            "Sprechen Sie in kurzen Sätzen direkt mit der Person, nicht mit der Dolmetscherin.",
            "Kinder dolmetschen nicht für ihre Eltern.",
        ],
    ),
    "aufwandsentschaedigung": (
        "Ehrenamtspauschale und Aufwandsentschädigung",
        "recht-und-versicherung",
        ["Ehrenamtspauschale", "Steuern", "Aufwandsentschädigung"],
        "Steuerfreie Ehrenamtspauschale (§ 3 Nr. 26a EStG), Übungsleiterpauschale und "
        "Fahrtkostenerstattung – was für Freiwillige in Unterkünften gilt.",
        [
            "Die Ehrenamtspauschale ist bis 840 Euro im Jahr steuer- und sozialabgabenfrei, "
            "die Übungsleiterpauschale bis 3.000 Euro für betreuende Tätigkeiten.",
            "Fahrtkosten können gegen Beleg erstattet werden, ohne die Pauschalen zu berühren.",
            "Bei Freiwilligen, die Leistungen nach dem SGB II beziehen, gelten Freibeträge.",
        ],
    ),
    "hausaufgabenhilfe": (
        "Hausaufgabenhilfe aufbauen",
        "methoden",
        ["Hausaufgabenhilfe", "Kinder", "Bildung"],
        "Raum, Zeiten, Material, Kontakt zur Schule und Kinderschutz: was eine verlässliche "
        "Hausaufgabenhilfe braucht.",
        [
            "Verlässlichkeit ist wichtiger als Dauer: zweimal pro Woche zur gleichen Zeit.",
            "Ein ruhiger Raum, Wörterbücher, Stifte, Hefte und ein Drucker genügen zum Start.",
            "Für die regelmäßige Arbeit mit Kindern ist ein erweitertes Führungszeugnis nötig.",
        ],
    ),
    "konflikte": (
        "Konflikte im Team der Freiwilligen lösen",
        "freiwilligenmanagement",
        ["Konflikte", "Teamarbeit", "Kommunikation"],
        "Typische Konflikte zwischen Freiwilligen, Hauptamt und Bewohner:innen – und Gesprächs"
        "formen, die helfen.",
        [
            "Konflikte entstehen oft aus unklaren Rollen. Eine Aufgabenbeschreibung pro "
            "Angebot beugt vor.",
            "Sprechen Sie Konflikte früh und unter vier Augen an; beschreiben Sie Verhalten, "
            "nicht Personen.",
            "Bei verhärteten Konflikten hilft eine Moderation durch die Regionalkoordination.",
        ],
    ),
    "veranstaltung": (
        "Checkliste: Fest in der Unterkunft",
        "vorlagen",
        ["Checkliste", "Veranstaltung", "Fest"],
        "Von der Genehmigung bis zum Aufräumen: eine Checkliste für Sommerfest, "
        "Nachbarschaftsfest und Dankeschön-Feier.",
        [
            "Vier Wochen vorher: Termin mit Leitung abstimmen, Genehmigungen klären, "
            "Aufgaben verteilen, Einladungen mehrsprachig aushängen.",
            "Eine Woche vorher: Einkauf, Getränke, Musik, Spiele, Erste-Hilfe-Kasten, "
            "Fotoeinwilligungen bereithalten.",
            "Danach: Dank an alle Helfer:innen, Fotos nur mit Einwilligung teilen.",
        ],
    ),
    "stundennachweis": (
        "Stundennachweis für Freiwillige (Tabelle)",
        "vorlagen",
        ["Stundennachweis", "Vorlage", "Ehrenamtskarte"],
        "Eine Tabelle zum Erfassen der Einsatzstunden – Grundlage für Ehrenamtskarte, "
        "Bescheinigungen und Jahresbericht.",
        [
            "Datum, Angebot, Stunden, Bemerkung: Die Tabelle summiert die Stunden pro Monat "
            "und Jahr.",
            "Für die Berliner Ehrenamtskarte zählen mindestens 200 Stunden im Jahr.",
        ],
    ),
    "asylverfahren": (
        "Grundwissen Asylverfahren für Freiwillige",
        "recht-und-versicherung",
        ["Asylverfahren", "Aufenthalt", "Grundwissen"],
        "Ein Überblick über Ablauf, Aufenthaltstitel und Zuständigkeiten – damit Freiwillige "
        "verstehen, was Bewohner:innen erleben, ohne selbst zu beraten.",
        [
            "Nach der Registrierung stellt die Person beim BAMF den Asylantrag; die Anhörung "
            "ist der wichtigste Termin im Verfahren.",
            "Freiwillige beraten nicht rechtlich, sondern verweisen an Beratungsstellen und "
            "Anwält:innen.",
            "Duldung, Aufenthaltsgestattung, Aufenthaltserlaubnis: Die Unterschiede bestimmen "
            "Zugang zu Arbeit, Kursen und Wohnung.",
        ],
    ),
    "kinderbetreuung": (
        "Kinderbetreuung während Sprechstunden",
        "methoden",
        ["Kinderbetreuung", "Kinder", "Spiele"],
        "Spiel- und Bastelideen für gemischte Altersgruppen, Aufsichtsregeln und was bei "
        "Kindern ohne gemeinsame Sprache hilft.",
        [
            "Spiele ohne viele Worte funktionieren gut: Bauklötze, Malen, Ballspiele, Memory.",
            "Immer mindestens zwei Erwachsene; Kinder werden nur an ihre Eltern übergeben.",
        ],
    ),
}

VARIANTS = [
    ("", ""),
    ("Merkblatt: ", "Die wichtigsten Punkte auf einer Seite."),
    ("Checkliste: ", "Zum Abhaken vor Ort."),
    ("Häufige Fragen: ", "Antworten auf Fragen, die Koordinator:innen oft stellen."),
    ("Präsentation: ", "Folien aus der Werkstatt der Regionalkoordination."),
    ("Kurzinfo: ", "Für Freiwillige zum Weitergeben."),
]
