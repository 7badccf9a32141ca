# Weboberfläche von coopdir — Deutsch.
# Fluent-Syntax: https://projectfluent.org/fluent/guide/
# Dieselben Kennungen und Argumente wie en.ftl (ein Unit-Test prüft das).

## Frame
skip-to-content = Zum Inhalt springen
site-tagline = ein Verzeichnis genossenschaftlicher Dienstanbieter
nav-label = Hauptmenü
nav-directory = Verzeichnis
nav-about = Über
nav-staff = Ihre Einträge
nav-admin = Moderation
nav-login = Anmelden
nav-logout = Abmelden ({ $user })
footer-software = Betrieben mit coopdir, freier Software unter der AGPL
footer-api = API
back-to-directory = Zurück zum Verzeichnis
lang-label = Sprache der Seiten
lang-unknown = Dieses Verzeichnis spricht Englisch, Französisch, Deutsch und Spanisch; wählen Sie eine dieser Sprachen.

## Errors
error-title = Etwas ist schiefgelaufen
error-internal = Interner Fehler; das Protokoll des Knotens enthält die Einzelheiten.
error-not-found = Nicht gefunden
error-forbidden = Nicht erlaubt
error-gone = Nicht mehr vorhanden
error-invalid = Das geht nicht
error-no-actor = Auf diesem Knoten gibt es keine Genossenschaft und kein Angebot „{ $name }“.
error-removed = Dieser Eintrag wurde von seiner Genossenschaft entfernt.
error-suspended = Dieser Eintrag ist gesperrt.
error-no-announcement = Diese Ankündigung gibt es nicht.
error-withdrawn = Diese Ankündigung wurde zurückgezogen.
error-not-offering = Nur Angebote haben dieses Formular.
error-no-page = Unter dieser Adresse gibt es keine Seite. Vielleicht wurde sie verschoben, oder der Link enthält einen Tippfehler.
error-summary-title = Es gibt ein Problem
form-has-errors = Einige Felder müssen korrigiert werden; siehe die Hinweise daneben.

## Directory
directory-title = Einen genossenschaftlichen Anbieter finden
directory-lead = Videokonferenzen und andere Dienste, die von Genossenschaften betrieben werden, auf diesem Knoten und den Knoten, mit denen er verbunden ist. Die Reihenfolge ist fair: Sie ändert sich jeden Tag und hängt nie von der Beliebtheit ab.
search-title = Suche: { $query }
search-label = Suchen
search-placeholder = z. B. bigbluebutton deutsch aufzeichnung
search-button = Suchen
search-too-long = Eine Suche darf höchstens { $max } Zeichen haben; diese hat { $count }. Verwenden Sie weniger Wörter oder die Filter.
search-understood = Gesucht als:
search-understood-remove = Suchen ohne:
search-relax = Suchen mit weniger Wörtern
search-without = Ohne { $part }
filters-title = Filter
skip-to-results = Zu den Ergebnissen
filters-show = Filter anzeigen
filters-active = Aktive Filter
filters-clear = Alle Filter entfernen
filter-remove = Filter entfernen:
filter-selected = ausgewählt; erneut wählen zum Entfernen
facet-platform = Plattform
facet-feature = Funktionen
facet-language = Sprache
facet-country = Land
facet-price = Preis
facet-registration = Registrierung
facet-form = Genossenschaftsform
facet-status = Status
offerings-count = { $count ->
    [one] { $count } Angebot
   *[other] { $count } Angebote
}
no-results = Kein Angebot passt. Entfernen Sie einen Filter oder versuchen Sie andere Wörter.
listing-remote = von einem Partnerknoten
compare-pick = Vergleichen
compare-selected = Auswahl vergleichen
compare-hint = Wählen Sie zwei bis vier Angebote.
follow-link = Folgen
pages-label = Seiten
page-prev = Zurück
page-next = Weiter

group-invite-title = Allen Videokonferenz-Anbietern folgen
group-invite-lead = Wer { $name } folgt, erhält die Ankündigungen aller hier eingetragenen Anbieter, auch neuer:
group-invite-button = Allen folgen
group-invite-page = Was sie teilt
follow-receive = Was Sie erhalten: Ankündigungen zu Neuigkeiten, Wartung, Preisänderungen und Einstellungen, in Ihrer Startseiten-Timeline. Sonst nichts, und Sie können jederzeit entfolgen.

## Actor pages
feed-title = { $name }: Ankündigungen
feed-link = Atom-Feed
handle-label = Aus dem Fediverse folgen:
copy = Kopieren
copied = Kopiert
followers-count = { $count ->
    [one] { $count } Follower
   *[other] { $count } Follower
}
manage-link = Verwalten
not-listed = Dieser Eintrag wird derzeit nicht im Verzeichnis angezeigt.
follow-instance-label = Ihre Instanz
follow-instance-placeholder = z. B. mastodon.social
follow-button = Folgen
follow-hint = Ihr eigener Server bittet Sie, das Folgen zu bestätigen. Sie können auch in Ihrer App nach der Adresse suchen.
offered-by = Angeboten von
attributes-title = Auf einen Blick
sunset-notice = Dieser Dienst wird eingestellt: Der { $date } ist sein letzter Betriebstag.
see-alternatives = Kompatible Alternativen ansehen.
transferred-to = Er wird jetzt angeboten von
follow-successor = Dem Nachfolger folgen
lifecycle-alternatives = Kompatible Alternativen, denen Sie folgen und zu denen Sie wechseln können:
alternatives-title = Kompatible Alternativen
alternatives-none = Noch ist keine kompatible Alternative eingetragen.
alternatives-lead = Geordnet danach, wie gut sie zu diesem Angebot passen, nie nach Beliebtheit.
alternative-favour = Dafür spricht:
alternative-drawbacks = Nachteile:
compare-with-alternatives = Nebeneinander vergleichen
announcements-title = Ankündigungen
announcement-heading = { $kind } von { $name }
announcements-none = Noch keine Ankündigungen.
coop-about-title = Über die Genossenschaft
coop-offerings-title = Angebote
coop-offerings-none = Diese Genossenschaft hat noch kein Angebot eingetragen.

report-link = Diesen Eintrag melden
report-title = { $name } melden
report-lead = Sagen Sie den Admins dieses Knotens, was an diesem Eintrag nicht stimmt: eine falsche Angabe, ein eingestellter Dienst, der noch gelistet ist, Missbrauch. Sie entscheiden mit einem Grund, der im Moderationsprotokoll veröffentlicht wird; Ihre Meldung bleibt privat und anonym.
report-comment = Was nicht stimmt
report-comment-hint = Höchstens 2.000 Zeichen. Schreiben Sie keine persönlichen Daten.
report-button = Meldung senden
report-comment-missing = Sagen Sie, was an dem Eintrag nicht stimmt.
report-too-many = Dieser Eintrag wurde schon oft gemeldet, und die Admins haben noch nicht entschieden; sie sehen ihn sich an.
report-done = Danke. Die Admins dieses Knotens sehen sich Ihre Meldung an.

## Attributes
attr-platform = Plattform
attr-features = Funktionen
attr-participants = Teilnehmende pro Raum
attr-rooms = Gleichzeitige Räume
attr-price = Preis
attr-languages = Sprachen der Oberfläche
attr-support-languages = Sprachen des Supports
attr-jurisdiction = Rechtsraum
attr-data-location = Daten gespeichert in
attr-registration = Registrierung
attr-coop = Genossenschaft
attr-free-software = Freie Software
attr-notice = Vorankündigung vor der Einstellung
attr-status = Status
attr-successor = Nachfolger
attr-homepage = Website
attr-signup = Registrieren
attr-funding = Finanzierung oder Mitgliedschaft
attr-form = Genossenschaftsform
attr-country = Land
attr-website = Website
yes = ja
no = nein
days = { $count ->
    [one] { $count } Tag
   *[other] { $count } Tage
}
status-sunsetting-until = wird eingestellt, letzter Betriebstag { $date }

## Compare
compare-title = Angebote vergleichen
compare-lead = Zeilen mit unterschiedlichen Werten sind markiert.
compare-caption = { $count } Angebote nebeneinander
compare-differs = Werte unterscheiden sich
compare-differs-key = Markierte Zeilen unterscheiden sich zwischen den Angeboten.
compare-remove = Entfernen
compare-add-title = Ein Angebot zum Vergleich hinzufügen
compare-add = Hinzufügen
compare-back = Zurück zum Verzeichnis, um Angebote auszuwählen
compare-count = Wählen Sie mindestens { $min } und höchstens { $max } Angebote zum Vergleich.
compare-given = { $count ->
    [one] { $count } wurde angegeben.
   *[other] { $count } wurden angegeben.
}
compare-unknown = Dieses Verzeichnis führt kein Angebot „{ $actor }“.

## Follow
follow-title = { $name } folgen
follow-lead = Geben Sie die Domain Ihres Fediverse-Servers ein (Mastodon oder ein anderer); dort bestätigen Sie das Folgen.
follow-unknown = Dieses Verzeichnis führt keine solche Genossenschaft und kein solches Angebot.
follow-instance-missing = Geben Sie die Domain Ihrer Instanz ein, zum Beispiel mastodon.social.
follow-instance-invalid = „{ $input }“ ist nicht die Domain eines Servers. Geben Sie nur die Domain ein, zum Beispiel mastodon.social (oder Ihre Adresse, zum Beispiel @sie@mastodon.social).

## About
about-title = Über
about-heading = Über { $name }
about-lead = Dieser coopdir-Knoten unter { $domain } verzeichnet genossenschaftliche Dienstanbieter und zeigt die Einträge der Knoten, mit denen er verbunden ist.
about-coops = { $count ->
    [one] { $count } Genossenschaft veröffentlicht hier
   *[other] { $count } Genossenschaften veröffentlichen hier
}
about-offerings = { $count ->
    [one] { $count } Angebot dieses Knotens
   *[other] { $count } Angebote dieses Knotens
}
about-remote-offerings = { $count ->
    [one] { $count } Angebot von Partnerknoten
   *[other] { $count } Angebote von Partnerknoten
}
about-charter = Charta
about-charter-none = Dieser Knoten hat noch keine Charta veröffentlicht.
about-peers = Partnerknoten
about-peers-none = Dieser Knoten ist noch mit keinem anderen Knoten verbunden.
about-peer-domain = Knoten
about-peer-synced = Zuletzt abgeglichen
about-ask = Das Verzeichnis fragen
about-ask-lead = Erwähnen Sie das Verzeichnis von Ihrem Fediverse-Konto aus mit dem, was Sie suchen, etwa „bigbluebutton deutsch aufzeichnung“, oder „alternativen zu“ einer Adresse:

## Login
login-title = Anmelden
login-lead = Für Mitarbeitende der Genossenschaften und die Admins dieses Knotens.
login-username = Benutzername
login-password = Passwort
login-button = Anmelden
login-username-missing = Geben Sie Ihren Benutzernamen ein.
login-password-missing = Geben Sie Ihr Passwort ein.
login-failed = Falscher Benutzername oder falsches Passwort.
login-rate-limited = { $count ->
    [one] Zu viele fehlgeschlagene Versuche. Versuchen Sie es in einer Minute erneut.
   *[other] Zu viele fehlgeschlagene Versuche. Versuchen Sie es in { $count } Minuten erneut.
}

## Staff
staff-title = Ihre Einträge
staff-lead = Angemeldet als { $user } ({ $role }).
staff-listings = Einträge, die Sie verwalten
staff-listings-none = Dieses Konto verwaltet keinen Eintrag.
staff-col-name = Name
staff-col-kind = Art
staff-col-status = Status
staff-col-moderation = Moderation
staff-col-followers = Follower
staff-public-page = öffentliche Seite
queue-title = Zustellungen dieses Knotens
queue-pending = Wartend
queue-delivered = Zugestellt
queue-failed = Aufgegeben
queue-rejected = Vom Empfänger abgelehnt
queue-unavailable = Als nicht erreichbar markierte Server
manage-title = { $name } verwalten
manage-sections = Auf dieser Seite
manage-deliveries = Zustellungen dieses Eintrags
manage-deliveries-counts = { $delivered } zugestellt, { $pending } wartend
manage-deliveries-failed = { $failed } aufgegeben, { $rejected } abgelehnt
done-edit = Gespeichert. Die Follower erhalten die Aktualisierung.
done-announce = Veröffentlicht. Die Follower erhalten die Ankündigung.
done-sunset = Die Einstellung hat begonnen. Die Follower wurden informiert und werden erinnert.
done-transfer = Übertragen. Die Follower wechseln zum Nachfolger.
done-transfer-proposed = Vorgeschlagen. Nichts ändert sich, bis die Genossenschaft des Nachfolgers zustimmt; ihre Antwort erscheint unten.
done-transfer-accepted = Angenommen. Die Follower wechseln zu Ihnen.
done-transfer-declined = Abgelehnt. Nichts ändert sich, und die vorschlagende Genossenschaft erfährt den Grund.
done-sunset-cancelled = Die Einstellung ist abgesagt. Die Follower wurden informiert.

announce-title = Eine Ankündigung veröffentlichen
announce-lead = Wird an alle Follower gesendet und auf der öffentlichen Seite gezeigt. Leerzeilen trennen Absätze; #Hashtags werden zu Links.
announce-kind = Art
announce-text = Text
announce-button = Veröffentlichen
announce-languages = In weiteren Sprachen (optional)
announce-languages-lead = Mitglieder lesen den Text in ihrer Sprache, wenn er hier angegeben ist; der Text oben ist der in der Standardsprache des Knotens.
announce-other-lang = Eine weitere Sprache (ein Kürzel wie it oder pt-BR, die der Eintrag anbietet)
announce-other-text = Text in dieser Sprache
announce-kind-invalid = Wählen Sie eine der aufgeführten Arten.

edit-title = Das Angebot bearbeiten
edit-lead = Änderungen werden sofort veröffentlicht und als Aktualisierung an die Follower gesendet.
edit-name = Name
edit-summary = Beschreibung
edit-platform-version = Plattformversion
edit-price-model = Modell
edit-price-amount = Betrag
edit-price-currency = Währung (z. B. EUR)
edit-price-period = Pro
edit-languages-hint = Wählen Sie jede Sprache; halten Sie Strg (⌘ auf dem Mac), um mehrere zu wählen.
edit-country-hint = Das Land, dessen Recht gilt, falls es eines gibt.
edit-countries-hint = Wählen Sie jedes Land; halten Sie Strg (⌘ auf dem Mac), um mehrere zu wählen.
edit-notice-days = Tage Vorankündigung vor der Einstellung
edit-not-a-number = Geben Sie eine ganze Zahl ein.
edit-too-many = { $count ->
    [one] Höchstens { $count } Wert ist erlaubt.
   *[other] Höchstens { $count } Werte sind erlaubt.
}
edit-button = Änderungen speichern

sunset-title = Eine Einstellung beginnen
sunset-lead = Die Follower werden jetzt informiert und 30 und 7 Tage vor dem letzten Betriebstag erinnert; der Dienst schließt am Tag danach. Bei einer Genossenschaft werden alle ihre aktiven Angebote mit eingestellt. Der früheste letzte Betriebstag, den Ihre zugesagte Vorankündigung erlaubt, ist der { $date }.
sunset-end = Letzter Betriebstag
sunset-button = Die Einstellung beginnen
sunset-postpone-title = Die Einstellung verschieben oder absagen
sunset-postpone-lead = Wählen Sie einen späteren letzten Betriebstag (den { $date } oder später); die Follower werden informiert und die Erinnerungen folgen dem neuen Datum. Oder sagen Sie die Einstellung ab.
sunset-postpone-button = Die Einstellung verschieben
sunset-cancel-button = Die Einstellung absagen
sunset-alternatives = Zuerst zu nennende Alternativen
sunset-alternatives-hint = Adressen (name@domain) von Angeboten anderer Genossenschaften, durch Leerzeichen getrennt; die geordneten Alternativen folgen ihnen.
lifecycle-note = Hinweis für Mitglieder
lifecycle-note-hint = Wie Aufzeichnungen exportiert werden, bis wann Konten lesbar bleiben, wen man fragen kann. Er erscheint in den Ankündigungen und auf der Seite des Eintrags.
preview-button = Vorschau
preview-title = Vorschau: Nichts wurde gespeichert oder gesendet
sunset-date-invalid = Wählen Sie ein Datum (JJJJ-MM-TT).

transfer-title = An einen Nachfolger übertragen
transfer-lead = Innerhalb Ihrer Genossenschaft geschieht der Wechsel sofort. Eine andere Genossenschaft erhält einen Vorschlag und muss ihn zuerst annehmen (auf einem anderen coopdir-Knoten über ein föderiertes Angebot); bis dahin ändert sich nichts. Ein Nachfolger außerhalb von coopdir (ein Mastodon-Konto) muss diesen Akteur als früheres Konto eintragen. Die Server der Follower folgen dem Nachfolger dann von selbst.
transfer-to = Nachfolger
transfer-to-hint = Seine Adresse (name@domain) oder Akteur-URL.
transfer-to-missing = Nennen Sie den Nachfolger.
transfer-confirm = Ich verstehe, dass alle Follower umziehen und dass eine Übertragung nicht rückgängig gemacht werden kann.
transfer-confirm-missing = Bestätigen Sie, dass die Follower umziehen sollen.
transfer-button = Übertragen
transfer-note-hint = Für die andere Genossenschaft und für die Mitglieder: was mit Konten und Aufzeichnungen geschieht, wen man fragen kann.
transfer-preview-consent = Der Nachfolger gehört zu einer anderen Genossenschaft: Sie muss zustimmen, bevor sich etwas ändert.
transfer-preview-now = Der Wechsel würde sofort geschehen.
proposals-title = Übertragungsvorschläge
staff-awaiting = Übertragungsvorschläge, die auf Ihre Antwort warten
proposals-lead = Vorschläge, einen Dienst zwischen Genossenschaften zu übergeben, eingehend und ausgehend, mit ihrem Verlauf. Nichts ändert sich, bis die Genossenschaft des Nachfolgers zustimmt.
proposal-heading = Vorschlag { $id }
proposal-state = Stand
proposal-expires = verfällt am { $date } ohne Antwort
proposal-reason = Grund
proposal-changes = Was sich für Mitglieder ändert:
proposal-accept-hint = Wer annimmt, trägt den vorschlagenden Akteur als eigenes früheres Konto ein und übernimmt seine Follower. Das kann nicht rückgängig gemacht werden.
proposal-accept = Die Übertragung annehmen
proposal-decline = Ablehnen

## Vocabularies
platform-bigbluebutton = BigBlueButton
platform-jitsi = Jitsi Meet
platform-galene = Galène
platform-nextcloud-talk = Nextcloud Talk
platform-matrix = Matrix / Element Call
platform-opentalk = OpenTalk
platform-other = Andere
feature-recording = Aufzeichnung
feature-breakout-rooms = Gruppenräume
feature-shared-notes = gemeinsame Notizen
feature-whiteboard = Whiteboard
feature-polls = Umfragen
feature-dial-in = Einwahl per Telefon
feature-streaming = Livestreaming
feature-e2ee = Ende-zu-Ende-Verschlüsselung
feature-captions = Untertitel
feature-lti = LTI / Moodle
feature-nextcloud = Nextcloud-Integration
feature-screen-sharing = Bildschirmfreigabe
feature-chat = Chat
price-free = kostenlos
price-pay-what-you-can = zahl, was du kannst
price-membership = Mitgliedschaft
price-subscription = Abonnement
price-not-stated = nicht angegeben
period-month = Monat
period-year = Jahr
period-once = einmalig
period-event = Veranstaltung
registration-open = offen
registration-members-only = nur für Mitglieder
registration-waitlist = Warteliste
registration-closed = geschlossen
registration-not-stated = nicht angegeben
form-worker = Arbeitergenossenschaft
form-consumer = Verbrauchergenossenschaft
form-multi-stakeholder = Multi-Stakeholder-Genossenschaft
form-federation-member = Mitglied eines Genossenschaftsverbands
form-platform = Plattformgenossenschaft
form-other = andere Genossenschaftsform
status-active = aktiv
status-sunsetting = wird eingestellt
status-closed = geschlossen
status-transferred = übertragen
kind-news = Neuigkeit
kind-maintenance = Wartung
kind-price = Preisänderung
kind-capacity = Kapazitätsänderung
kind-sunset = Einstellung
kind-transfer = Übertragung
moderation-pending = wartet auf Freigabe
moderation-approved = gelistet
moderation-hidden = verborgen
moderation-suspended = gesperrt
moderation-removed = entfernt
actor-instance = Instanz-Akteur
actor-coop = Genossenschaft
actor-offering = Angebot
actor-group = Kategoriegruppe
actor-person = Person
actor-remote = entfernter Akteur
role-admin = Admin
role-staff = Genossenschaftsmitarbeiter*in

## Admin pages (/admin…) and the public moderation log (/moderation)
admin-forbidden = Nur Admins dieses Knotens dürfen die Moderationsseiten öffnen.
admin-title = Moderation
admin-nav-label = Moderationsseiten
admin-nav-overview = Übersicht
admin-nav-queue = Freigabewarteschlange
admin-nav-reports = Meldungen
admin-nav-domains = Domains
admin-nav-log = Protokoll
admin-nav-fasp = Fediscovery
admin-nav-public = Öffentliches Protokoll
admin-count-pending = { $count ->
    [one] Eintrag wartet auf Freigabe
   *[other] Einträge warten auf Freigabe
}
admin-count-reports = { $count ->
    [one] offene Meldung
   *[other] offene Meldungen
}
admin-count-blocked = { $count ->
    [one] gesperrte Domain
   *[other] gesperrte Domains
}
admin-count-allowed = { $count ->
    [one] erlaubte Domain (Allowlist-Modus)
   *[other] erlaubte Domains (Allowlist-Modus)
}
admin-overview-hint = Jede hier getroffene Entscheidung wird mit Ihrem Namen und dem Grund ins Moderationsprotokoll geschrieben; Entscheidungen über Einträge erscheinen auch auf der öffentlichen Moderationsseite, ohne Namen.
admin-done-approve = Freigegeben: Der Eintrag steht im Verzeichnis.
admin-done-hide = Verborgen: Der Eintrag ist nicht im Verzeichnis und föderiert weiter.
admin-done-suspend = Gesperrt: Der Eintrag ist nicht im Verzeichnis und föderiert nicht mehr.
admin-done-restore = Wiederhergestellt: Der Eintrag steht wieder im Verzeichnis.
admin-done-resolve = Die Meldung ist erledigt.
admin-done-forward = Die Meldung wurde an den Heimatknoten des Eintrags geschickt.
admin-done-block = Die Domain ist gesperrt; ihre gespeicherten Einträge wurden aktualisiert.
admin-done-unblock = Die Sperre ist aufgehoben; Einträge, die sie verborgen oder gesperrt hatte, sind zurück.
admin-done-allow = Die Domain steht auf der Allowlist.
admin-done-disallow = Die Domain steht nicht mehr auf der Allowlist.
admin-page-invalid = Die Seite muss eine Zahl ab 1 sein.
admin-queue-title = Freigabewarteschlange
admin-queue-pending = { $count ->
    [one] Ein Eintrag wartet auf Freigabe
   *[other] { $count } Einträge warten auf Freigabe
}
admin-queue-hint = Neue Einträge warten hier, wenn der Knoten eine Freigabe verlangt (require-approval remote oder all). Freigeben nimmt sie ins Verzeichnis auf; Verbergen oder Sperren hält sie heraus, mit einem Grund.
admin-queue-empty = Kein Eintrag wartet auf Freigabe.
admin-col-listing = Eintrag
admin-col-state = Stand
admin-col-decide = Entscheidung
admin-local = dieser Knoten
admin-remote = von einem anderen Knoten
admin-since = bekannt seit { $date }
admin-no-actions = Für einen entfernten Eintrag gibt es keine Entscheidung.
admin-action = Aktion
admin-action-approve = freigeben
admin-action-hide = verbergen
admin-action-suspend = sperren
admin-action-restore = wiederherstellen
admin-reason = Grund
admin-act-button = Entscheiden
admin-action-invalid = Wählen Sie freigeben, verbergen, sperren oder wiederherstellen.
admin-reason-missing = Geben Sie einen Grund an; er kommt ins Moderationsprotokoll und auf die öffentliche Moderationsseite.
admin-text-too-long = Höchstens { $count } Zeichen.
admin-target-missing = Wählen Sie einen Eintrag: Auf diesem Knoten gibt es keinen solchen Eintrag.
admin-not-listing = Hier werden nur Genossenschaften und Angebote moderiert.
admin-find-title = Einen Eintrag finden
admin-find-label = Name, Adresse oder Akteur-URL
admin-find-button = Finden
admin-find-hint = Lokale und entfernte Genossenschaften und Angebote in jedem Zustand, z. B. „meet“, „name@domain“ oder https://example.org/actors/name.
admin-find-none = Kein Eintrag passt zu „{ $q }“.
admin-find-results = { $count ->
    [one] Ein Eintrag gefunden
   *[other] { $count } Einträge gefunden
}
admin-reports-title = Meldungen
admin-reports-hint = Offene Meldungen, neueste zuerst: von anderen Servern (Flag-Aktivitäten) oder auf diesem Knoten eingereicht. Zurückweisen lässt den Eintrag, wie er ist; Verbergen oder Sperren entscheidet über ihn. Erledigte Meldungen stehen im Protokoll.
admin-reports-none = Keine Meldung ist offen.
admin-report-heading = Meldung { $id } zu { $target }
admin-report-received = Eingegangen
admin-report-reporter = Gemeldet von
admin-report-filed-here = auf diesem Knoten eingereicht
admin-report-target = Gemeldeter Eintrag
admin-report-posts = Gemeldete Beiträge
admin-report-no-posts = keine genannt
admin-report-comment = Kommentar
admin-report-no-comment = kein Kommentar
admin-report-forwarded = Weitergeleitet
admin-target-gone = nicht mehr gespeichert
admin-resolution = Erledigen durch
admin-resolution-dismiss = Zurückweisen der Meldung
admin-resolution-hide = Verbergen des Eintrags
admin-resolution-suspend = Sperren des Eintrags
admin-resolution-missing = Wählen Sie, wie die Meldung erledigt wird.
admin-note = Notiz
admin-resolve-button = Erledigen
admin-forward-hint = Der Eintrag gehört zu einem anderen Knoten: Dessen Admins können dort handeln. Weiterleiten schickt ihnen diese Meldung im Namen dieses Knotens (nicht der meldenden Person).
admin-forward-button = An den Heimatknoten weiterleiten
admin-no-report = Es gibt keine Meldung { $id }.
admin-domains-title = Domains
admin-domains-hint = Eine Sperre gilt für die Domain und ihre Subdomains. Ablehnen verweigert jeden Austausch mit ihr und sperrt ihre Einträge hier; Verbergen föderiert weiter und hält ihre Einträge aus dem Verzeichnis heraus.
admin-blocks = Gesperrte Domains
admin-blocks-none = Keine Domain ist gesperrt.
admin-col-domain = Domain
admin-col-severity = Schwere
admin-col-reason = Grund
admin-col-by = Von
admin-col-remove = Entfernen
admin-severity-reject = ablehnen
admin-severity-hide = verbergen
admin-unblock-button = Die Sperre von { $domain } aufheben
admin-block-title = Eine Domain sperren
admin-block-hint = Wer eine bereits gesperrte Domain sperrt, ändert ihre Schwere und ihren Grund.
admin-domain = Domain
admin-domain-missing = Geben Sie eine Domain an, zum Beispiel evil.example.
admin-severity-invalid = Wählen Sie ablehnen oder verbergen.
admin-block-button = Sperren
admin-allows = Allowlist
admin-allows-hint = Dieser Knoten föderiert im Allowlist-Modus: nur mit diesen Domains und ihren Subdomains (und nie mit gesperrten).
admin-allows-inactive = Dieser Knoten föderiert mit jeder nicht gesperrten Domain; die Allowlist gilt nur im Allowlist-Modus (--federation-mode allowlist).
admin-allows-none = Noch ist keine Domain erlaubt.
admin-disallow-button = { $domain } von der Allowlist entfernen
admin-allow-button = Erlauben
admin-log-title = Moderationsprotokoll
admin-log-count = { $count ->
    [one] Ein Eintrag
   *[other] { $count } Einträge
}
admin-log-none = Noch wurde nichts entschieden.
admin-col-when = Wann
admin-col-action = Entscheidung
admin-col-target = Betrifft
admin-col-change = Änderung
admin-log-report = Meldung { $id }
admin-log-pages = Seiten des Protokolls
admin-log-newer = Neuere
admin-log-older = Ältere
admin-log-page = Seite { $page } von { $pages }
admin-log-action-approve = freigegeben
admin-log-action-hide = verborgen
admin-log-action-suspend = gesperrt
admin-log-action-restore = wiederhergestellt
admin-log-action-domain-block = Domain gesperrt
admin-log-action-domain-unblock = Domainsperre aufgehoben
admin-log-action-block = Domainsperre
admin-log-action-unblock = Domainentsperrung
admin-log-action-allow = Allowlist: hinzugefügt
admin-log-action-disallow = Allowlist: entfernt
admin-log-action-report-dismiss = Meldung zurückgewiesen
public-log-title = Moderationsentscheidungen
public-log-lead = Was die Admins von { $name } über Einträge in diesem Verzeichnis entschieden haben, wann und warum, neueste zuerst.
public-log-privacy = Wer eine Entscheidung getroffen hat, wird nicht gezeigt: Die Entscheidungen sind die des Knotens, und die Ehrenamtlichen zu nennen, die sie treffen, lädt zu Belästigung ein.
public-log-none = Über Einträge wurde noch nichts entschieden.
about-moderation = Moderation
about-moderation-lead = Einträge können bis zur Freigabe zurückgehalten, verborgen oder gesperrt werden; jede solche Entscheidung wird mit ihrem Grund veröffentlicht.
about-moderation-link = Moderationsentscheidungen

## Replies under announcements
replies-title = Fragen und Antworten
replies-lead = Antworten Sie auf diese Ankündigung von Ihrem Fediverse-Konto aus; öffentliche und nicht gelistete Antworten erscheinen hier.
replies-none = Noch keine Antworten.
replies-feed = Feed dieser Unterhaltung
replies-feed-title = Antworten auf diese Ankündigung
replies-faq-title = Beantwortete Fragen
replies-count = { $count ->
    [one] { $count } Antwort
   *[other] { $count } Antworten
}
reply-coop-answer = Antwort der Genossenschaft
reply-pinned = Angeheftet
reply-hidden = Von der Moderation verborgen
reply-unanswered = Noch nicht beantwortet
reply-visibility-followers = Nur Follower: nur für Mitarbeitende sichtbar
reply-visibility-direct = Direktnachricht: nur für Mitarbeitende sichtbar
reply-answer = Antworten
reply-answer-text = Antwort
reply-answer-pin = An die Ankündigung anheften
reply-answer-send = Antwort senden
reply-follow-up = Zur Unterhaltung hinzufügen
reply-hide = Verbergen
reply-hide-reason = Grund (wird im Moderationsprotokoll festgehalten)
reply-pin = An die Ankündigung anheften
reply-unpin = Nicht mehr anheften
reply-report = Melden
reply-report-comment = Was stimmt damit nicht?
error-no-reply = Diese Antwort gibt es nicht.
done-answer = Beantwortet. Das Mitglied und die Follower erhalten die Antwort.
done-reply-hidden = Verborgen. Der Grund steht im Moderationsprotokoll.
done-reply-pinned = Erledigt.
done-reply-reported = Danke; die Admins sehen sich die Meldung an.
questions-title = Fragen, die auf eine Antwort warten
questions-none = Keine Frage wartet auf eine Antwort.
admin-replies-title = Antworten
admin-replies-none = Noch keine Antworten eingegangen.
admin-nav-replies = Antworten
reply-visibility-public = Öffentlich
reply-visibility-unlisted = Nicht gelistet
staff-col-questions = Wartende Fragen

## Liveness: what the node's probes found about a listed service
attr-service-url = Adresse des Dienstes
edit-service-url-hint = Die Basisadresse des laufenden Dienstes (z. B. https://bbb.example.coop/), nicht seine Website. Dieser Knoten prüft alle 15 Minuten, ob er antwortet.
edit-probe = Diesen Knoten prüfen lassen, ob der Dienst antwortet
liveness-title = Läuft der Dienst?
liveness-up = In Betrieb
liveness-down = Ausgefallen
liveness-refused = Nicht geprüft: Dieser Knoten verweigert die Verbindung zu seiner Adresse
liveness-not-yet = Noch nicht geprüft
liveness-not-probed = Nicht geprüft: Die Genossenschaft hat keine Adresse des Dienstes angegeben oder die Prüfungen abgeschaltet.
liveness-unreachable = Nicht erreichbar
liveness-unreachable-since = Der Dienst antwortet seit dem { $date } nicht mehr
liveness-checked = geprüft { $ago }
liveness-ago-minutes = { $count ->
    [one] vor { $count } Min.
   *[other] vor { $count } Min.
}
liveness-ago-hours = { $count ->
    [one] vor { $count } Stunde
   *[other] vor { $count } Stunden
}
liveness-ago-days = { $count ->
    [one] vor { $count } Tag
   *[other] vor { $count } Tagen
}
liveness-uptime-30d = { $percent } in den letzten 30 Tagen
liveness-measured-here = von diesem Knoten gemessen
liveness-measured-by = von { $node } gemessen, nicht von diesem Knoten
liveness-confirmed = Zuletzt am { $date } von der Genossenschaft bestätigt
liveness-not-confirmed = Auf diesem Knoten nicht von der Genossenschaft bestätigt
filter-working-now = Jetzt in Betrieb
filter-working-hint = Dienste, die bei ihrer letzten Prüfung geantwortet haben
outdated-title = Veraltete Angaben melden
outdated-comment = Was ist veraltet oder falsch?
outdated-button = An die Genossenschaft und die Admins senden
outdated-thanks = Danke. Die Mitarbeitenden der Genossenschaft und die Admins dieses Knotens sehen Ihre Meldung.
outdated-comment-missing = Sagen Sie, was veraltet ist, damit die Genossenschaft es korrigieren kann.
outdated-comment-too-long = Eine Meldung darf höchstens { $count } Zeichen haben.
outdated-rate-limited = { $count ->
    [one] Zu viele Meldungen von Ihrer Adresse. Versuchen Sie es in einer Minute erneut.
   *[other] Zu viele Meldungen von Ihrer Adresse. Versuchen Sie es in { $count } Minuten erneut.
}
outdated-back = Zurück zu { $name }
staff-liveness-title = Prüfungen Ihrer Dienste
staff-unreachable = { $name } antwortet seit dem { $date } nicht auf die Prüfungen dieses Knotens. Mitglieder sehen den Dienst als nicht erreichbar markiert; bringen Sie den Dienst in Ordnung oder korrigieren Sie seine Adresse.
staff-version-mismatch = Der Eintrag nennt Version { $listed }, der Dienst meldet aber { $observed }: Aktualisieren Sie den Eintrag (oder den Dienst).
staff-outdated-title = Meldungen veralteter Angaben
staff-outdated-item = { $date }: { $comment }
staff-outdated-done = Erledigt
done-outdated = Die Meldung ist als erledigt markiert.

## Fediscovery (FASP) and privacy
fasp-admin-title = Fediscovery-Registrierungen
fasp-admin-hint = Fediverse-Server (Mastodon 4.4 und neuer), die diesen Knoten nach Kontosuche und Folgeempfehlungen fragen. Registrieren Sie sich bei einem Server mit „coopdir fasp register https://SERVER“ und teilen Sie den Admins des Servers den ausgegebenen Fingerabdruck mit.
fasp-admin-none = Dieser Knoten ist bei keinem Server registriert.
fasp-col-id = Registrierung
fasp-col-server = Server
fasp-col-status = Status
fasp-col-fingerprint = Schlüssel-Fingerabdruck
fasp-col-capabilities = Aktivierte Fähigkeiten
fasp-col-registered = Registriert
fasp-revoke-button = Registrierung { $id } widerrufen
fasp-revoked = Die Registrierung ist widerrufen: Anfragen dieses Servers werden ab jetzt abgelehnt.
fasp-unknown = Diese Registrierung gibt es nicht.
privacy-title = Datenschutz
privacy-lead = Was dieser Knoten über die Menschen speichert, die ihn nutzen.
privacy-federation = Fediverse-Konten, die einem Eintrag folgen, werden gespeichert (ihre Adresse und ihr Posteingang), damit Ankündigungen sie erreichen, bis sie entfolgen.
privacy-fasp-heading = Suche und Empfehlungen für Fediverse-Server (Fediscovery)
privacy-fasp = Bei diesem Knoten registrierte Server senden die Wörter, nach denen ihre Mitglieder suchen, und für Folgeempfehlungen die Adresse des anfragenden Kontos. Beides dient nur der Beantwortung dieser Anfrage: Es wird weder gespeichert noch protokolliert noch weitergegeben. Zurückgegeben werden nur Einträge dieses Knotens, die zugestimmt haben, gefunden zu werden (indexierbar und auffindbar).

## Answers of the directory actor to questions from the fediverse
ask-alternatives = Kompatible Alternativen zu { $name }, die beste zuerst:
ask-alternatives-none = Ich kenne noch keine kompatible Alternative zu { $name }.
ask-matches = { $count ->
    [one] { $count } Treffer:
   *[other] { $count } Treffer; hier sind die ersten:
}
ask-none = Dafür habe ich kein eingetragenes Angebot gefunden. Versuchen Sie es mit weniger Wörtern oder mit einer Plattform wie bigbluebutton oder jitsi.
## Refusals of the directory (forms and the API say them in the reader's language)
error-unknown-value = { $kind ->
    [platform] unbekannte Plattform
    [feature] unbekannte Funktion
    [price-model] unbekanntes Preismodell
    [price-period] unbekannter Abrechnungszeitraum
    [registration] unbekannte Registrierungsart
    [co-op-form] unbekannte Genossenschaftsform
    [status] unbekannter Status
    [announcement-kind] unbekannte Art der Ankündigung
    [moderation-state] unbekannter Moderationsstatus
    [actor-kind] unbekannte Akteursart
    [delivery-state] unbekannter Zustellstatus
   *[other] unbekannter Wert ({ $kind })
} „{ $value }“; erlaubt sind: { $expected }
error-currency = „{ $value }“ ist kein Währungscode nach ISO 4217; verwenden Sie drei Buchstaben wie EUR, GBP oder USD
error-country = „{ $value }“ ist kein Ländercode nach ISO 3166-1; verwenden Sie zwei Buchstaben wie DE, FR oder GB
error-language = „{ $value }“ ist kein Sprachcode nach BCP 47 ({ $reason }); verwenden Sie z. B. en, de oder pt-BR
error-handle = „{ $value }“ ist kein gültiger Name; verwenden Sie 1 bis 30 Kleinbuchstaben, Ziffern oder _ (z. B. meetcoop_bbb)
error-name-length = ein Name muss 1 bis 100 Zeichen auf einer Zeile haben; dieser hat { $count } Zeichen
error-summary-length = eine Beschreibung darf höchstens 5000 Zeichen haben; diese hat { $count }; kürzen Sie sie
error-amount = „{ $value }“ ist kein Betrag; schreiben Sie eine Zahl wie 9 oder 9.50
error-price-no-currency = ein Betrag braucht eine Währung; geben Sie z. B. EUR an
error-price-no-amount = eine Währung ohne Betrag; geben Sie einen Betrag wie 9.50 an oder entfernen Sie die Währung
error-price-free = ein kostenloses Angebot kann keinen Betrag haben; entfernen Sie den Betrag oder ändern Sie das Preismodell
error-url = „{ $value }“ ist keine URL ({ $reason }); schreiben Sie sie vollständig, z. B. https://example.coop/
error-web-url = „{ $value }“ ist keine Webadresse; verwenden Sie eine https://-URL mit höchstens 2000 Zeichen
error-count-range = { $value } liegt außerhalb des erlaubten Bereichs; verwenden Sie eine Zahl von 1 bis { $max }
error-notice-range = { $value } Tage Kündigungsfrist liegen außerhalb des erlaubten Bereichs; verwenden Sie 0 bis 3650
error-announce-author = nur Genossenschaften und Angebote veröffentlichen Mitteilungen
error-translation-default = „{ $tag }“ ist die Standardsprache dieses Knotens; geben Sie diesen Text als Haupttext an
error-translation-unoffered = „{ $tag }“ ist weder eine Sprache der Oberfläche noch eine, die dieser Eintrag anbietet; verwenden Sie eine von: { $offered }
error-translation-twice = der Text auf „{ $tag }“ ist doppelt angegeben
error-announce-empty = der Text der Mitteilung ist leer; schreiben Sie, was Mitglieder wissen sollten
error-announce-too-long = die Mitteilung hat { $count } Zeichen; höchstens { $max } sind erlaubt
error-announcement-unknown = auf diesem Knoten gibt es keine Mitteilung { $url }
error-announcement-not-local = { $url } ist keine Mitteilung dieses Knotens
error-sunset-not-local = @{ $handle } ist weder eine Genossenschaft noch ein Angebot dieses Knotens; nur diese können eingestellt werden
error-sunset-already = @{ $handle } wird bereits eingestellt: { $end } ist der letzte Betriebstag. Eine Einstellung kann auf ein späteres Datum verschoben oder abgesagt werden (--cancel)
error-sunset-not-active = @{ $handle } ist { $status ->
    [sunsetting] in Einstellung
    [closed] geschlossen
    [transferred] übertragen
   *[other] { $status }
}; nur ein aktives Angebot kann eine Einstellung beginnen
error-note-too-long = die Notiz ist länger als 2000 Zeichen; beschränken Sie sich auf das, was Mitglieder wissen müssen
error-sunset-notice = { $name } hat eine Kündigungsfrist von { $notice } Tagen zugesagt; der letzte Betriebstag { $end } ist nur { $days } Tage entfernt. Wählen Sie den { $earliest } oder später.
error-sunset-past = der letzte Betriebstag { $end } liegt in der Vergangenheit; wählen Sie ein späteres Datum
error-sunset-none = @{ $handle } ist { $status ->
    [active] aktiv
    [closed] geschlossen
    [transferred] übertragen
   *[other] { $status }
}, nicht in Einstellung; es gibt keine Einstellung abzusagen
error-transfer-pending = @{ $handle } hat bereits einen offenen Übertragungsvorschlag ({ $id }) an { $successor }; warten Sie auf die Antwort oder den Ablauf am { $expires }
error-transfer-self = ein Angebot kann nicht auf sich selbst übertragen werden
error-successor-moved = der Nachfolger { $successor } ist selbst geschlossen oder umgezogen
error-successor-unlisted = der Nachfolger { $successor } ist auf diesem Knoten nicht gelistet
error-successor-offering = eine Genossenschaft wird an eine andere Genossenschaft übergeben; { $successor } ist ein Angebot (nennen Sie ihre Angebote mit --map ALT=NEU)
error-transfer-not-local = @{ $handle } ist weder eine Genossenschaft noch ein Angebot dieses Knotens; nur diese können übertragen werden
error-transfer-done = @{ $handle } wurde bereits an { $successor } übertragen; ein Angebot wird nur einmal übertragen
error-transfer-closed = @{ $handle } ist geschlossen und kann nicht übertragen werden
error-proposal-unknown = es gibt keinen Übertragungsvorschlag { $id }; `coopdir transfers` listet sie auf
error-proposal-elsewhere = Vorschlag { $id } richtet sich an { $successor }, der nicht auf diesem Knoten ist; er wird dort beantwortet
error-proposal-expired = Vorschlag { $id } ist am { $date } ohne Antwort abgelaufen; die andere Genossenschaft kann ihn erneut vorschlagen
error-proposal-answered = Vorschlag { $id } wurde bereits beantwortet: er ist { $state }
error-proposal-answered-by = Vorschlag { $id } wurde bereits beantwortet: er ist { $state } (von { $by })
error-proposal-not-yours = Vorschlag { $id } richtet sich an { $successor }; nur das Team dieser Genossenschaft kann ihn beantworten, nicht { $username }
error-handle-elsewhere = „{ $handle }“ ist nicht auf diesem Knoten ({ $domain }); geben Sie eine Adresse wie name@{ $domain } an
error-handle-removed = „{ $handle }“ wurde von diesem Knoten entfernt
error-handle-unknown = auf diesem Knoten gibt es keine Genossenschaft und kein Angebot „{ $handle }“; importieren Sie zuerst einen Eintrag mit `coopdir import`
error-not-local-offering = { $id } ist kein Angebot dieses Knotens
error-offering-removed = { $id } wurde entfernt und kann nicht mehr bearbeitet werden
error-handle-fixed = die Adresse von { $id } kann sich nicht ändern: sie ist Teil der Kennung des Akteurs
error-password-short = das Passwort muss mindestens { $min } Zeichen haben; ein paar zufällige Wörter ergeben ein gutes
error-domain-invalid = „{ $value }“ ist keine Domain; geben Sie eine Domain wie evil.example an (Subdomains sind eingeschlossen), optional mit Port (localhost:8081), oder eine URL auf dieser Domain
error-domain-name = „{ $value }“ ist kein Domainname
error-domain-own = { $domain } ist die eigene Domain dieses Knotens (oder eine übergeordnete); sie kann nicht gesperrt werden
error-domain-not-blocked = { $domain } ist nicht gesperrt; `coopdir domains` listet die Sperren auf
error-domain-already-allowed = { $domain } ist bereits erlaubt
error-domain-not-allowed = { $domain } steht nicht auf der Positivliste
error-actor-gone = { $id } existiert nicht mehr
error-actor-unknown = hier ist kein Akteur „{ $target }“ bekannt; geben Sie name@domain oder die URL des Akteurs an
error-actor-url = „{ $target }“: { $reason }
error-moderate-instance = der Instanz-Akteur ist kein Eintrag und kann nicht moderiert werden
error-moderation-state = { $id } ist im Zustand „{ $state }“, den die Moderation nicht ändert
error-moderation-already = { $id } ist bereits { $state ->
        [pending] in Prüfung
        [hidden] verborgen
        [suspended] gesperrt
        [removed] von seiner Genossenschaft entfernt
       *[approved] freigegeben
    }
error-moderation-from = { $id } ist { $state ->
        [pending] in Prüfung
        [hidden] verborgen
        [suspended] gesperrt
        [removed] von seiner Genossenschaft entfernt
       *[approved] freigegeben
    }; „{ $action }“ gilt nur für Einträge, die { $allowed ->
        [pending-hidden] in Prüfung oder verborgen
        [pending-approved] in Prüfung oder freigegeben
        [hidden-suspended] verborgen oder gesperrt
       *[pending-approved-hidden] in Prüfung, freigegeben oder verborgen
    } sind
error-report-unknown = es gibt keine Meldung { $id }; `coopdir reports` listet sie auf
error-report-resolved = Meldung { $id } wurde bereits erledigt ({ $resolution })
error-report-actor-gone = der Akteur der Meldung { $id } ({ $actor }) ist nicht mehr gespeichert; verwerfen Sie die Meldung
error-report-forwarded = Meldung { $id } wurde bereits weitergeleitet
error-report-forward-gone = der Akteur der Meldung { $id } ist nicht mehr gespeichert
error-report-local = Meldung { $id } betrifft { $actor }, einen Eintrag dieses Knotens; nur Meldungen über entfernte Akteure werden weitergeleitet
error-report-forward-refused = Meldung { $id } kann nicht weitergeleitet werden: { $reason }
error-alternative-unknown = --alternative { $handle }: hier ist kein Angebot dieses Namens gelistet; geben Sie den Namen name@domain eines gelisteten Angebots an
error-alternative-own = --alternative { $handle }: das ist einer der Dienste, die eingestellt werden; nennen Sie das Angebot einer anderen Genossenschaft
error-alternative-inactive = --alternative { $handle }: es ist { $status ->
        [sunsetting] in Einstellung
        [closed] geschlossen
        [transferred] übertragen
       *[active] aktiv
    } oder seine Genossenschaft wird eingestellt; nennen Sie ein aktives Angebot
error-api-no-token = dieser Endpunkt braucht ein API-Token: senden Sie `Authorization: Bearer <token>`; ein Admin dieses Knotens erstellt eines mit `coopdir token create USERNAME --name NAME` (siehe docs/api.md)
error-api-bearer = der Authorization-Header muss `Bearer <token>` mit einem API-Token sein; ein Admin dieses Knotens erstellt eines mit `coopdir token create USERNAME --name NAME` (siehe docs/api.md)
error-api-token-invalid = dieses API-Token ist nicht gültig: unbekannt, widerrufen oder vertippt; ein Admin dieses Knotens erstellt eines mit `coopdir token create USERNAME --name NAME` (siehe docs/api.md)
error-api-no-listing = dieser Knoten hat keine Genossenschaft und kein Angebot „{ $username }“; GET /api/v1/me listet die Einträge, die dieses Token verwalten darf
error-api-not-allowed = das Konto des Tokens darf nicht für den Eintrag { $handle } handeln: { $reason }
error-api-not-object = der Anfragekörper muss ein JSON-Objekt sein
error-api-limit = „{ $value }“ ist keine Zahl von 1 bis { $max }
error-api-note-long = länger als { $max } Zeichen; beschränken Sie sich auf das, was Mitglieder wissen müssen
error-api-alternatives-many = höchstens { $max }; nennen Sie die wenigen, die den Mitgliedern am besten passen
error-api-end-required = der letzte Tag des Dienstes ist erforderlich, als JJJJ-MM-TT (oder "cancel": true, um eine Einstellung abzusagen)
error-api-proposal-id = { $reason }; geben Sie die Nummer eines Vorschlags an, wie GET /api/v1/transfers sie listet
error-api-proposal-staff = nur das Team der Genossenschaft von { $successor } beantwortet Vorschlag { $id }: { $reason }
error-api-reason-long = länger als { $max } Zeichen; sagen Sie kurz, warum
error-api-not-under = { $id } steht nicht unter einer Ankündigung von { $listing }
error-api-kind-action = „{ $kind }“-Ankündigungen schreibt die Aktion { $kind }; wählen Sie eines von: { $accepted }
error-api-kind-unknown = unbekannte Art von Ankündigung „{ $kind }“; erwartet wird eines von: { $accepted }
error-successor-url = „{ $value }“ ist keine URL: { $reason }
error-successor-unresolved = der Nachfolger { $successor } lässt sich nicht auflösen: { $reason }; prüfen Sie den Namen oder die URL
error-successor-gone = der Nachfolger existiert nicht mehr
error-proposal-origin-unknown = der vorschlagende Akteur { $id } ist hier unbekannt; er wurde vielleicht entfernt
error-peer-address = „{ $value }“ ist weder eine Domain noch eine URL ({ $reason })
error-peer-not-http = „{ $value }“ ist keine http(s)-Adresse
error-peer-not-https = „{ $value }“ ist nicht https; Peers werden über https erreicht
error-peer-itself = ein Knoten kann nicht mit sich selbst peeren
error-peer-not-coopdir = { $domain } scheint kein coopdir-Knoten zu sein: { $reason }
error-peer-no-nodeinfo = { $domain } veröffentlicht kein NodeInfo 2.x
error-peer-nodeinfo-elsewhere = sein NodeInfo liegt auf einem anderen Host
error-peer-software = { $domain } läuft mit { $software }, nicht mit coopdir; nur coopdir-Knoten können Peers werden
error-peer-instance-long = die URL seines Instanz-Akteurs ist länger als { $max } Bytes
error-peer-instance-elsewhere = sein Instanz-Akteur liegt auf einem anderen Host

## Who may act on a listing; the successor and hand-over map of a transfer
error-not-allowed-remote = { $listing } ist ein Eintrag eines anderen Knotens; er kann nur dort geändert werden
error-not-allowed-no-coop = das Team-Konto „{ $username }“ gehört zu keiner Genossenschaft
error-not-allowed-other-coop = „{ $username }“ gehört zum Team einer anderen Genossenschaft und darf nicht für { $listing } handeln
error-not-allowed-role = das Konto „{ $username }“ hat keine Rolle, die das erlaubt
error-staff-not-coop = { $id } ist keine Genossenschaft dieses Knotens; Team-Konten gehören zu einer lokalen Genossenschaft
error-account-exists = ein Konto „{ $username }“ gibt es bereits
error-successor-empty = nennen Sie den Nachfolger: sein Handle name@domain oder die URL seines Akteurs
error-successor-not-url = „{ $value }“ ist keine URL ({ $reason }); nennen Sie den Nachfolger: sein Handle name@domain oder die URL seines Akteurs
error-successor-shape = „{ $value }“ ist weder die URL eines Akteurs noch ein Handle; nennen Sie den Nachfolger: sein Handle name@domain oder die URL seines Akteurs
error-successor-not-here = auf diesem Knoten gibt es keine Genossenschaft und kein Angebot { $successor }
error-successor-no-alias = der Nachfolger { $successor } führt { $origin } nicht in alsoKnownAs, daher würden die Server der Folgenden den Umzug ablehnen. Bitten Sie die andere Genossenschaft, es hinzuzufügen: auf Mastodon als Konto-Alias unter Einstellungen › Konto › Von einem anderen Konto umziehen. Übertragen Sie dann erneut.
error-map-not-coop = --map gilt für die Übergabe einer ganzen Genossenschaft; nennen Sie das Handle einer Genossenschaft, um sie zu übertragen
error-map-pair = --map „{ $pair }“ hat nicht die Form ALT=NEU; z. B. --map bbb@{ $domain }=rooms@other.example
error-map-old = --map { $pair }: { $old } ist kein Angebot von { $coop }; ordnen Sie nur die eigenen Angebote der Genossenschaft zu
error-map-new = --map { $pair }: { $new } ist kein Angebot des Nachfolgers { $successor }; ordnen Sie seinen eigenen Angeboten zu
error-map-elsewhere = --map { $pair }: { $new } ist nicht auf dem Knoten des Nachfolgers; ordnen Sie seinen eigenen Angeboten zu
error-api-map-many = höchstens { $max } Paare ALT=NEU
error-api-map-pair = „{ $pair }“ hat nicht die Form ALT=NEU, z. B. "bbb=rooms@other.example"
error-api-transfer-confirm = eine Übertragung zieht alle Folgenden um und kann nicht rückgängig gemacht werden; senden Sie "confirm": true (oder "preview": true, um sie zuerst anzusehen)
error-api-end-date = „{ $value }“ ist kein Datum vom 2000-01-01 bis 2999-12-31; geben Sie den letzten Tag des Dienstes als JJJJ-MM-TT an
error-api-proposal-gone = Vorschlag { $id } gibt es nicht mehr

## Refusals of the API's own checks, replies, imports, feeds and exports
error-api-coop-not-offering = { $handle } ist eine Genossenschaft, kein Angebot; dieser Endpunkt gilt für Angebote
error-api-bad-query = fehlerhafte Anfrage: { $reason }
error-api-not-json = der Anfragekörper ist kein JSON ({ $reason }); senden Sie ein JSON-Objekt mit `Content-Type: application/json`
error-api-no-offering = dieser Knoten listet kein Angebot „{ $username }“
error-not-listed-here = auf diesem Knoten gibt es keine gelistete Genossenschaft und kein gelistetes Angebot „{ $username }“
error-no-listing-here = auf diesem Knoten gibt es keine Genossenschaft und kein Angebot „{ $username }“
error-report-not-open = { $username } hat keine offene Meldung { $id }
error-filter-many = höchstens { $max } Werte werden angenommen; { $given } wurden angegeben
error-filter-working = „{ $value }“ wird nicht angenommen; verwenden Sie working=true (oder lassen Sie es weg)
error-answer-target = { $url } ist weder eine Ankündigung dieses Knotens noch eine Antwort darunter; geben Sie die URL der Ankündigung oder der Antwort an, wie sie auf ihrer Seite steht
error-answer-hidden = { $url } ist durch die Moderation ausgeblendet; darauf kann nicht geantwortet werden
error-answer-empty = die Antwort ist leer; schreiben Sie, was das Mitglied wissen sollte
error-answer-long = die Antwort hat { $count } Zeichen; höchstens { $max } sind erlaubt
error-reply-unknown = auf diesem Knoten gibt es keine Antwort { $url }
error-reply-announcement-gone = die Ankündigung von { $url } gibt es nicht mehr
error-reply-not-here = { $url } steht nicht unter einer Ankündigung dieses Knotens
error-pin-member = { $url } ist die Antwort eines Mitglieds; nur die Antworten der Genossenschaft können angeheftet werden
error-hide-reason = geben Sie einen Grund an: er wird im Moderationsprotokoll festgehalten
error-handle-other-coop = das Handle „{ $handle }“ gehört bereits einer anderen Genossenschaft oder dem Knoten; wählen Sie ein anderes Handle
error-handle-taken = „{ $handle }“ ist auf diesem Knoten bereits vergeben ({ $kind ->
        [instance] an den Instanz-Akteur
        [coop] an die Genossenschaft
        [offering] an das Angebot
        [group] an die Kategoriegruppe
        [person] an die Person
       *[remote] an den entfernten Akteur
    }); wählen Sie ein anderes Handle
error-handle-retired = „{ $handle }“ wurde entfernt; seinen Folgenden wurde mitgeteilt, dass es weg ist, daher wird das Handle nicht wieder verwendet. Wählen Sie ein anderes Handle.
error-alternatives-unknown = dieses Verzeichnis kennt kein Angebot { $target }; geben Sie die Akteur-URL eines gelisteten Angebots an
error-export-not-coop = { $handle } ist keine gelistete Genossenschaft dieses Knotens; der Export nimmt das Handle einer Genossenschaft
error-no-such-offering = dieser Knoten listet dieses Angebot nicht
error-no-such-announcement = dieser Knoten hat diese Ankündigung nicht
error-api-actor-required = der Abfrageparameter `actor` ist erforderlich: geben Sie die Akteur-URL eines Angebots an, z. B. /api/v1/offerings/alternatives?actor=https://node.example/actors/name
error-api-aka-fixed = frühere Akteure eines Angebots werden durch eine Übertragung darauf gesetzt, nicht bearbeitet; lassen Sie das Feld weg oder senden Sie es unverändert
error-filter-not-stated = not-stated ist kein Filterwert: Einträge, deren Quelle keinen Preis oder keine Registrierung angibt, passen zu keinem Preis- oder Registrierungsfilter; lassen Sie den Filter weg
error-page-zero = Seitenzahlen beginnen bei 1
error-page-not-number = „{ $value }“ ist keine Seitenzahl
error-offering-ref-url = „{ $value }“ ist keine URL ({ $reason }); geben Sie die Akteur-URL eines Angebots an, z. B. https://node.example/actors/name, oder sein Handle name@node.example
error-offering-ref = „{ $value }“ ist weder die URL eines Akteurs noch ein Handle; geben Sie die Akteur-URL eines Angebots an, z. B. https://node.example/actors/name, oder sein Handle name@node.example
