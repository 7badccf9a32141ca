# Interface web de coopdir — français.
# Syntaxe Fluent : https://projectfluent.org/fluent/guide/
# Mêmes identifiants et mêmes arguments que en.ftl (un test unitaire le vérifie).

## Frame
skip-to-content = Aller au contenu
site-tagline = un annuaire de fournisseurs de services coopératifs
nav-label = Principal
nav-directory = Annuaire
nav-about = À propos
nav-staff = Vos fiches
nav-admin = Modération
nav-login = Se connecter
nav-logout = Se déconnecter ({ $user })
footer-software = Propulsé par coopdir, logiciel libre sous licence AGPL
footer-api = API
back-to-directory = Retour à l’annuaire
lang-label = Langue des pages
lang-unknown = Cet annuaire parle anglais, français, allemand et espagnol ; choisissez l’une de ces langues.

## Errors
error-title = Un problème est survenu
error-internal = Erreur interne ; le journal du nœud contient les détails.
error-not-found = Introuvable
error-forbidden = Non autorisé
error-gone = Disparu
error-invalid = Impossible de faire cela
error-no-actor = Il n’y a pas de coopérative ni d’offre « { $name } » sur ce nœud.
error-removed = Cette fiche a été retirée par sa coopérative.
error-suspended = Cette fiche est suspendue.
error-no-announcement = Cette annonce n’existe pas.
error-withdrawn = Cette annonce a été retirée.
error-not-offering = Seules les offres ont ce formulaire.
error-no-page = Il n’y a pas de page à cette adresse. Elle a peut-être été déplacée, ou le lien contient une faute de frappe.
error-summary-title = Il y a un problème
form-has-errors = Certains champs doivent être corrigés ; voyez les messages à côté d’eux.

## Directory
directory-title = Trouver un fournisseur coopératif
directory-lead = Visioconférence et autres services gérés par des coopératives, sur ce nœud et sur les nœuds avec lesquels il est relié. L’ordre est équitable : il change chaque jour et ne dépend jamais de la popularité.
search-title = Recherche : { $query }
search-label = Rechercher
search-placeholder = p. ex. bigbluebutton allemand enregistrement
search-button = Rechercher
search-too-long = Une recherche peut compter au plus { $max } caractères ; celle-ci en a { $count }. Utilisez moins de mots, ou les filtres.
search-understood = Recherche comprise comme :
search-understood-remove = Rechercher sans :
search-relax = Recherches avec moins de mots
search-without = Sans { $part }
filters-title = Filtres
skip-to-results = Aller aux résultats
filters-show = Afficher les filtres
filters-active = Filtres actifs
filters-clear = Effacer tous les filtres
filter-remove = Retirer le filtre :
filter-selected = sélectionné ; choisissez-le à nouveau pour le retirer
facet-platform = Plateforme
facet-feature = Fonctionnalités
facet-language = Langue
facet-country = Pays
facet-price = Prix
facet-registration = Inscription
facet-form = Forme coopérative
facet-status = État
offerings-count = { $count ->
    [one] { $count } offre
   *[other] { $count } offres
}
no-results = Aucune offre ne correspond. Retirez un filtre ou essayez d’autres mots.
listing-remote = d’un nœud pair
compare-pick = Comparer
compare-selected = Comparer la sélection
compare-hint = Choisissez de deux à quatre offres.
follow-link = Suivre
pages-label = Pages
page-prev = Précédente
page-next = Suivante

group-invite-title = Suivre tous les fournisseurs de visioconférence
group-invite-lead = Un seul abonnement à { $name } vous apporte les annonces de chaque fournisseur répertorié ici, nouveaux compris :
group-invite-button = Les suivre tous
group-invite-page = Ce qu’il relaie
follow-receive = Ce que vous recevrez : les annonces d’actualité, de maintenance, de changement de prix et de fermeture, dans votre fil d’accueil. Rien d’autre, et vous pouvez vous désabonner à tout moment.

## Actor pages
feed-title = { $name } : annonces
feed-link = Flux Atom
handle-label = Suivre depuis le fédivers :
copy = Copier
copied = Copié
followers-count = { $count ->
    [one] { $count } abonné·e
   *[other] { $count } abonné·es
}
manage-link = Gérer
not-listed = Cette fiche n’apparaît pas dans l’annuaire pour le moment.
follow-instance-label = Votre instance
follow-instance-placeholder = p. ex. mastodon.social
follow-button = Suivre
follow-hint = Votre propre serveur vous demande de confirmer l’abonnement. Vous pouvez aussi chercher l’identifiant dans votre application.
offered-by = Proposé par
attributes-title = En bref
sunset-notice = Ce service ferme : le { $date } est son dernier jour de service.
see-alternatives = Voir les alternatives compatibles.
transferred-to = Il est désormais fourni par
follow-successor = Suivre le successeur
lifecycle-alternatives = Alternatives compatibles que vous pouvez suivre et rejoindre :
alternatives-title = Alternatives compatibles
alternatives-none = Aucune alternative compatible n’est encore répertoriée.
alternatives-lead = Classées selon leur proximité avec cette offre, jamais selon leur popularité.
alternative-favour = Points forts :
alternative-drawbacks = Inconvénients :
compare-with-alternatives = Comparer côte à côte
announcements-title = Annonces
announcement-heading = { $kind } de { $name }
announcements-none = Pas encore d’annonce.
coop-about-title = À propos de la coopérative
coop-offerings-title = Offres
coop-offerings-none = Cette coopérative ne propose encore aucune offre.

report-link = Signaler cette fiche
report-title = Signaler { $name }
report-lead = Dites aux administrateurs de ce nœud ce qui ne va pas dans cette fiche : une affirmation fausse, un service fermé toujours répertorié, un abus. Ils décident avec un motif, publié dans le journal de modération ; votre signalement reste privé et anonyme.
report-comment = Ce qui ne va pas
report-comment-hint = 2 000 caractères au plus. N’écrivez pas de données personnelles.
report-button = Envoyer le signalement
report-comment-missing = Dites ce qui ne va pas dans cette fiche.
report-too-many = Cette fiche a déjà été signalée de nombreuses fois et les administrateurs n’ont pas encore décidé ; ils vont l’examiner.
report-done = Merci. Les administrateurs de ce nœud vont examiner votre signalement.

## Attributes
attr-platform = Plateforme
attr-features = Fonctionnalités
attr-participants = Participants par salle
attr-rooms = Salles simultanées
attr-price = Prix
attr-languages = Langues de l’interface
attr-support-languages = Langues de l’assistance
attr-jurisdiction = Juridiction
attr-data-location = Données stockées en
attr-registration = Inscription
attr-coop = Coopérative
attr-free-software = Logiciel libre
attr-notice = Préavis avant fermeture
attr-status = État
attr-successor = Successeur
attr-homepage = Site web
attr-signup = S’inscrire
attr-funding = Financement ou adhésion
attr-form = Forme coopérative
attr-country = Pays
attr-website = Site web
yes = oui
no = non
days = { $count ->
    [one] { $count } jour
   *[other] { $count } jours
}
status-sunsetting-until = en fermeture, dernier jour de service le { $date }

## Compare
compare-title = Comparer des offres
compare-lead = Les lignes dont les valeurs diffèrent sont signalées.
compare-caption = { $count } offres côte à côte
compare-differs = les valeurs diffèrent
compare-differs-key = Les lignes signalées diffèrent d’une offre à l’autre.
compare-remove = Retirer
compare-add-title = Ajouter une offre à la comparaison
compare-add = Ajouter
compare-back = Retour à l’annuaire pour choisir des offres
compare-count = Choisissez au moins { $min } et au plus { $max } offres à comparer.
compare-given = { $count ->
    [one] { $count } a été donnée.
   *[other] { $count } ont été données.
}
compare-unknown = Cet annuaire ne répertorie aucune offre « { $actor } ».

## Follow
follow-title = Suivre { $name }
follow-lead = Saisissez le domaine de votre serveur du fédivers (Mastodon ou un autre) ; vous y confirmerez l’abonnement.
follow-unknown = Cet annuaire ne répertorie aucune coopérative ni offre de ce nom.
follow-instance-missing = Saisissez le domaine de votre instance, par exemple mastodon.social.
follow-instance-invalid = « { $input } » n’est pas le domaine d’un serveur. Saisissez seulement le domaine, par exemple mastodon.social (ou votre identifiant, par exemple @vous@mastodon.social).

## About
about-title = À propos
about-heading = À propos de { $name }
about-lead = Ce nœud coopdir sur { $domain } répertorie des fournisseurs de services coopératifs et affiche les fiches des nœuds avec lesquels il est relié.
about-coops = { $count ->
    [one] { $count } coopérative publie ici
   *[other] { $count } coopératives publient ici
}
about-offerings = { $count ->
    [one] { $count } offre de ce nœud
   *[other] { $count } offres de ce nœud
}
about-remote-offerings = { $count ->
    [one] { $count } offre de nœuds pairs
   *[other] { $count } offres de nœuds pairs
}
about-charter = Charte
about-charter-none = Ce nœud n’a pas encore publié de charte.
about-peers = Nœuds pairs
about-peers-none = Ce nœud n’est encore relié à aucun autre nœud.
about-peer-domain = Nœud
about-peer-synced = Dernière synchronisation
about-ask = Interroger l’annuaire
about-ask-lead = Mentionnez l’annuaire depuis votre compte du fédivers avec ce que vous cherchez, par exemple « bigbluebutton allemand enregistrement », ou « alternatives à » un identifiant :

## Login
login-title = Se connecter
login-lead = Pour le personnel des coopératives et les administrateurs de ce nœud.
login-username = Nom d’utilisateur
login-password = Mot de passe
login-button = Se connecter
login-username-missing = Saisissez votre nom d’utilisateur.
login-password-missing = Saisissez votre mot de passe.
login-failed = Nom d’utilisateur ou mot de passe incorrect.
login-rate-limited = { $count ->
    [one] Trop de tentatives échouées. Réessayez dans une minute.
   *[other] Trop de tentatives échouées. Réessayez dans { $count } minutes.
}

## Staff
staff-title = Vos fiches
staff-lead = Connecté en tant que { $user } ({ $role }).
staff-listings = Fiches que vous gérez
staff-listings-none = Ce compte ne gère aucune fiche.
staff-col-name = Nom
staff-col-kind = Type
staff-col-status = État
staff-col-moderation = Modération
staff-col-followers = Abonnés
staff-public-page = page publique
queue-title = Envois de ce nœud
queue-pending = En attente
queue-delivered = Remis
queue-failed = Abandonnés
queue-rejected = Refusés par le destinataire
queue-unavailable = Serveurs marqués indisponibles
manage-title = Gérer { $name }
manage-sections = Sur cette page
manage-deliveries = Envois de cette fiche
manage-deliveries-counts = { $delivered } remis, { $pending } en attente
manage-deliveries-failed = { $failed } abandonnés, { $rejected } refusés
done-edit = Enregistré. Les abonnés reçoivent la mise à jour.
done-announce = Publié. Les abonnés reçoivent l’annonce.
done-sunset = La fermeture a commencé. Les abonnés ont été prévenus et recevront des rappels.
done-transfer = Transféré. Les abonnés passent au successeur.
done-transfer-proposed = Proposé. Rien ne bouge tant que la coopérative du successeur n’a pas accepté ; sa réponse apparaîtra ci-dessous.
done-transfer-accepted = Accepté. Les abonnés passent chez vous.
done-transfer-declined = Refusé. Rien ne change, et la coopérative qui proposait est informée du motif.
done-sunset-cancelled = La fermeture est annulée. Les abonnés ont été prévenus.

announce-title = Publier une annonce
announce-lead = Envoyée à chaque abonné et affichée sur la page publique. Les lignes vides séparent les paragraphes ; les #mots-dièse deviennent des liens.
announce-kind = Type
announce-text = Texte
announce-button = Publier
announce-languages = Dans d'autres langues (facultatif)
announce-languages-lead = Les membres lisent le texte dans leur langue quand il est donné ici ; le texte ci-dessus est celui de la langue par défaut du nœud.
announce-other-lang = Une autre langue (un code comme it ou pt-BR, proposée par la fiche)
announce-other-text = Texte dans cette langue
announce-kind-invalid = Choisissez l’un des types proposés.

edit-title = Modifier l’offre
edit-lead = Les modifications sont publiées immédiatement et envoyées aux abonnés sous forme de mise à jour.
edit-name = Nom
edit-summary = Description
edit-platform-version = Version de la plateforme
edit-price-model = Modèle
edit-price-amount = Montant
edit-price-currency = Devise (p. ex. EUR)
edit-price-period = Par
edit-languages-hint = Choisissez chaque langue ; maintenez Ctrl (⌘ sur Mac) pour en choisir plusieurs.
edit-country-hint = Le pays dont le droit s’applique, s’il y en a un.
edit-countries-hint = Choisissez chaque pays ; maintenez Ctrl (⌘ sur Mac) pour en choisir plusieurs.
edit-notice-days = Jours de préavis avant fermeture
edit-not-a-number = Écrivez un nombre entier.
edit-too-many = { $count ->
    [one] { $count } valeur au plus est autorisée.
   *[other] { $count } valeurs au plus sont autorisées.
}
edit-button = Enregistrer les modifications

sunset-title = Lancer une fermeture
sunset-lead = Les abonnés sont prévenus maintenant, puis 30 et 7 jours avant le dernier jour de service ; le service ferme le lendemain. Pour une coopérative, chacune de ses offres actives ferme avec elle. Le préavis promis permet au plus tôt le { $date } comme dernier jour de service.
sunset-end = Dernier jour de service
sunset-button = Lancer la fermeture
sunset-postpone-title = Reporter ou annuler la fermeture
sunset-postpone-lead = Choisissez un dernier jour de service plus tardif (le { $date } ou après) ; les abonnés sont prévenus et les rappels suivent la nouvelle date. Ou annulez la fermeture.
sunset-postpone-button = Reporter la fermeture
sunset-cancel-button = Annuler la fermeture
sunset-alternatives = Alternatives à citer en premier
sunset-alternatives-hint = Identifiants (nom@domaine) d’offres d’autres coopératives, séparés par des espaces ; les alternatives classées suivent.
lifecycle-note = Note pour les membres
lifecycle-note-hint = Comment exporter les enregistrements, jusqu’à quand les comptes restent consultables, à qui s’adresser. Elle figure dans les annonces et sur la page de la fiche.
preview-button = Aperçu
preview-title = Aperçu : rien n’a été enregistré ni envoyé
sunset-date-invalid = Choisissez une date (AAAA-MM-JJ).

transfer-title = Transférer à un successeur
transfer-lead = Au sein de votre coopérative, le transfert est immédiat. Une autre coopérative reçoit une proposition et doit d’abord l’accepter (sur un autre nœud coopdir, par une offre fédérée) ; rien ne bouge d’ici là. Un successeur hors de coopdir (un compte Mastodon) doit déclarer cet acteur comme l’un de ses anciens comptes. Les serveurs des abonnés suivent alors le successeur d’eux-mêmes.
transfer-to = Successeur
transfer-to-hint = Son identifiant (nom@domaine) ou l’URL de son acteur.
transfer-to-missing = Indiquez le successeur.
transfer-confirm = Je comprends que tous les abonnés seront transférés et qu’un transfert est irréversible.
transfer-confirm-missing = Confirmez que les abonnés doivent être transférés.
transfer-button = Transférer
transfer-note-hint = Pour l’autre coopérative et pour les membres : ce qu’il advient des comptes et des enregistrements, à qui s’adresser.
transfer-preview-consent = Le successeur appartient à une autre coopérative : elle doit accepter avant que quoi que ce soit ne bouge.
transfer-preview-now = Le transfert serait immédiat.
proposals-title = Propositions de transfert
staff-awaiting = Propositions de transfert en attente de votre réponse
proposals-lead = Propositions de reprise d’un service entre coopératives, entrantes et sortantes, avec leur historique. Rien ne bouge tant que la coopérative du successeur n’a pas accepté.
proposal-heading = Proposition { $id }
proposal-state = État
proposal-expires = expire le { $date } faute de réponse
proposal-reason = Motif
proposal-changes = Ce qui change pour les membres :
proposal-accept-hint = Accepter déclare l’acteur qui propose comme l’un de vos anciens comptes et vous transfère ses abonnés. C’est irréversible.
proposal-accept = Accepter le transfert
proposal-decline = Refuser

## Vocabularies
platform-bigbluebutton = BigBlueButton
platform-jitsi = Jitsi Meet
platform-galene = Galène
platform-nextcloud-talk = Nextcloud Talk
platform-matrix = Matrix / Element Call
platform-opentalk = OpenTalk
platform-other = Autre
feature-recording = enregistrement
feature-breakout-rooms = sous-salles
feature-shared-notes = notes partagées
feature-whiteboard = tableau blanc
feature-polls = sondages
feature-dial-in = accès par téléphone
feature-streaming = diffusion en direct
feature-e2ee = chiffrement de bout en bout
feature-captions = sous-titres
feature-lti = LTI / Moodle
feature-nextcloud = intégration Nextcloud
feature-screen-sharing = partage d’écran
feature-chat = messagerie
price-free = gratuit
price-pay-what-you-can = prix libre
price-membership = adhésion
price-subscription = abonnement
price-not-stated = non indiqué
period-month = mois
period-year = an
period-once = paiement unique
period-event = événement
registration-open = ouverte
registration-members-only = réservée aux membres
registration-waitlist = liste d’attente
registration-closed = fermée
registration-not-stated = non indiquée
form-worker = coopérative de travail
form-consumer = coopérative de consommateurs
form-multi-stakeholder = coopérative multipartite
form-federation-member = membre d’une fédération de coopératives
form-platform = coopérative de plateforme
form-other = autre forme coopérative
status-active = actif
status-sunsetting = en fermeture
status-closed = fermé
status-transferred = transféré
kind-news = actualité
kind-maintenance = maintenance
kind-price = changement de prix
kind-capacity = changement de capacité
kind-sunset = fermeture
kind-transfer = transfert
moderation-pending = en attente d’approbation
moderation-approved = répertoriée
moderation-hidden = masquée
moderation-suspended = suspendue
moderation-removed = retirée
actor-instance = acteur de l’instance
actor-coop = coopérative
actor-offering = offre
actor-group = groupe de catégorie
actor-person = personne
actor-remote = acteur distant
role-admin = administrateur
role-staff = personnel de coopérative

## Admin pages (/admin…) and the public moderation log (/moderation)
admin-forbidden = Seuls les administrateurs de ce nœud peuvent ouvrir les pages de modération.
admin-title = Modération
admin-nav-label = Pages de modération
admin-nav-overview = Vue d’ensemble
admin-nav-queue = File d’approbation
admin-nav-reports = Signalements
admin-nav-domains = Domaines
admin-nav-log = Journal
admin-nav-fasp = Fediscovery
admin-nav-public = Journal public
admin-count-pending = { $count ->
    [one] fiche attend une approbation
   *[other] fiches attendent une approbation
}
admin-count-reports = { $count ->
    [one] signalement ouvert
   *[other] signalements ouverts
}
admin-count-blocked = { $count ->
    [one] domaine bloqué
   *[other] domaines bloqués
}
admin-count-allowed = { $count ->
    [one] domaine autorisé (mode liste blanche)
   *[other] domaines autorisés (mode liste blanche)
}
admin-overview-hint = Chaque décision prise ici est inscrite au journal de modération avec votre nom et le motif ; les décisions sur les fiches apparaissent aussi sur la page publique de modération, sans les noms.
admin-done-approve = Approuvée : la fiche figure dans l’annuaire.
admin-done-hide = Masquée : la fiche sort de l’annuaire et continue de fédérer.
admin-done-suspend = Suspendue : la fiche sort de l’annuaire et cesse de fédérer.
admin-done-restore = Rétablie : la fiche figure de nouveau dans l’annuaire.
admin-done-resolve = Le signalement est traité.
admin-done-forward = Le signalement a été transmis au nœud d’origine de la fiche.
admin-done-block = Le domaine est bloqué ; ses fiches enregistrées ont été mises à jour.
admin-done-unblock = Le blocage est levé ; les fiches qu’il masquait ou suspendait sont de retour.
admin-done-allow = Le domaine est sur la liste blanche.
admin-done-disallow = Le domaine est retiré de la liste blanche.
admin-page-invalid = La page doit être un nombre à partir de 1.
admin-queue-title = File d’approbation
admin-queue-pending = { $count ->
    [one] Une fiche attend une approbation
   *[other] { $count } fiches attendent une approbation
}
admin-queue-hint = Les nouvelles fiches attendent ici quand le nœud exige une approbation (require-approval remote ou all). Approuver les répertorie ; masquer ou suspendre les tient à l’écart, avec un motif.
admin-queue-empty = Aucune fiche n’attend d’approbation.
admin-col-listing = Fiche
admin-col-state = État
admin-col-decide = Décision
admin-local = ce nœud
admin-remote = d’un autre nœud
admin-since = connue depuis le { $date }
admin-no-actions = Aucune décision ne s’applique à une fiche retirée.
admin-action = Action
admin-action-approve = approuver
admin-action-hide = masquer
admin-action-suspend = suspendre
admin-action-restore = rétablir
admin-reason = Motif
admin-act-button = Décider
admin-action-invalid = Choisissez approuver, masquer, suspendre ou rétablir.
admin-reason-missing = Donnez un motif ; il figure au journal de modération et sur la page publique de modération.
admin-text-too-long = { $count } caractères au plus.
admin-target-missing = Choisissez une fiche : il n’existe pas de telle fiche sur ce nœud.
admin-not-listing = Seules les coopératives et les offres sont modérées ici.
admin-find-title = Trouver une fiche
admin-find-label = Nom, identifiant ou URL d’acteur
admin-find-button = Trouver
admin-find-hint = Coopératives et offres locales et distantes dans tous les états, p. ex. « meet », « nom@domaine » ou https://example.org/actors/nom.
admin-find-none = Aucune fiche ne correspond à « { $q } ».
admin-find-results = { $count ->
    [one] Une fiche trouvée
   *[other] { $count } fiches trouvées
}
admin-reports-title = Signalements
admin-reports-hint = Signalements ouverts, du plus récent au plus ancien : venant d’autres serveurs (activités Flag) ou déposés sur ce nœud. Classer laisse la fiche telle quelle ; masquer ou suspendre décide à son sujet. Les signalements traités sont au journal.
admin-reports-none = Aucun signalement ouvert.
admin-report-heading = Signalement { $id } concernant { $target }
admin-report-received = Reçu
admin-report-reporter = Signalé par
admin-report-filed-here = déposé sur ce nœud
admin-report-target = Fiche signalée
admin-report-posts = Publications signalées
admin-report-no-posts = aucune précisée
admin-report-comment = Commentaire
admin-report-no-comment = pas de commentaire
admin-report-forwarded = Transmis
admin-target-gone = plus enregistrée
admin-resolution = Traiter en
admin-resolution-dismiss = classant le signalement
admin-resolution-hide = masquant la fiche
admin-resolution-suspend = suspendant la fiche
admin-resolution-missing = Choisissez comment traiter le signalement.
admin-note = Note
admin-resolve-button = Traiter
admin-forward-hint = La fiche appartient à un autre nœud : ses administrateurs peuvent agir là-bas. Transmettre leur envoie ce signalement au nom de ce nœud (pas de la personne qui l’a fait).
admin-forward-button = Transmettre à son nœud d’origine
admin-no-report = Il n’y a pas de signalement { $id }.
admin-domains-title = Domaines
admin-domains-hint = Un blocage couvre le domaine et ses sous-domaines. Rejeter refuse tout échange avec lui et suspend ses fiches ici ; masquer continue de fédérer et tient ses fiches hors de l’annuaire.
admin-blocks = Domaines bloqués
admin-blocks-none = Aucun domaine n’est bloqué.
admin-col-domain = Domaine
admin-col-severity = Sévérité
admin-col-reason = Motif
admin-col-by = Par
admin-col-remove = Retirer
admin-severity-reject = rejeter
admin-severity-hide = masquer
admin-unblock-button = Lever le blocage de { $domain }
admin-block-title = Bloquer un domaine
admin-block-hint = Bloquer un domaine déjà bloqué change sa sévérité et son motif.
admin-domain = Domaine
admin-domain-missing = Indiquez un domaine, par exemple evil.example.
admin-severity-invalid = Choisissez rejeter ou masquer.
admin-block-button = Bloquer
admin-allows = Liste blanche
admin-allows-hint = Ce nœud fédère en mode liste blanche : seulement avec ces domaines et leurs sous-domaines (et jamais avec les domaines bloqués).
admin-allows-inactive = Ce nœud fédère avec tout domaine non bloqué ; la liste blanche ne s’applique qu’en mode liste blanche (--federation-mode allowlist).
admin-allows-none = Aucun domaine n’est encore autorisé.
admin-disallow-button = Retirer { $domain } de la liste blanche
admin-allow-button = Autoriser
admin-log-title = Journal de modération
admin-log-count = { $count ->
    [one] Une entrée
   *[other] { $count } entrées
}
admin-log-none = Aucune décision n’a encore été prise.
admin-col-when = Quand
admin-col-action = Décision
admin-col-target = Objet
admin-col-change = Changement
admin-log-report = signalement { $id }
admin-log-pages = Pages du journal
admin-log-newer = Plus récentes
admin-log-older = Plus anciennes
admin-log-page = Page { $page } sur { $pages }
admin-log-action-approve = approuvée
admin-log-action-hide = masquée
admin-log-action-suspend = suspendue
admin-log-action-restore = rétablie
admin-log-action-domain-block = domaine bloqué
admin-log-action-domain-unblock = blocage du domaine levé
admin-log-action-block = blocage de domaine
admin-log-action-unblock = déblocage de domaine
admin-log-action-allow = liste blanche : ajouté
admin-log-action-disallow = liste blanche : retiré
admin-log-action-report-dismiss = signalement classé
public-log-title = Décisions de modération
public-log-lead = Ce que les administrateurs de { $name } ont décidé au sujet des fiches de cet annuaire, quand et pourquoi, des plus récentes aux plus anciennes.
public-log-privacy = L’auteur d’une décision n’est pas affiché : les décisions sont celles du nœud, et nommer les bénévoles qui les prennent exposerait au harcèlement.
public-log-none = Aucune décision concernant une fiche n’a encore été prise.
about-moderation = Modération
about-moderation-lead = Les fiches peuvent être mises en attente d’approbation, masquées ou suspendues ; chacune de ces décisions est publiée avec son motif.
about-moderation-link = Décisions de modération

## Replies under announcements
replies-title = Questions et réponses
replies-lead = Répondez à cette annonce depuis votre compte du fédivers ; les réponses publiques et non listées apparaissent ici.
replies-none = Pas encore de réponse.
replies-feed = Flux de cette discussion
replies-feed-title = Réponses à cette annonce
replies-faq-title = Questions ayant reçu une réponse
replies-count = { $count ->
    [one] { $count } réponse
   *[other] { $count } réponses
}
reply-coop-answer = Réponse de la coopérative
reply-pinned = Épinglée
reply-hidden = Masquée par la modération
reply-unanswered = Sans réponse pour l’instant
reply-visibility-followers = Abonnés uniquement : visible seulement par le personnel
reply-visibility-direct = Message direct : visible seulement par le personnel
reply-answer = Répondre
reply-answer-text = Réponse
reply-answer-pin = Épingler dans l’annonce
reply-answer-send = Envoyer la réponse
reply-follow-up = Ajouter à la discussion
reply-hide = Masquer
reply-hide-reason = Motif (conservé dans le journal de modération)
reply-pin = Épingler dans l’annonce
reply-unpin = Désépingler
reply-report = Signaler
reply-report-comment = Qu’est-ce qui ne va pas ?
error-no-reply = Cette réponse n’existe pas.
done-answer = Réponse envoyée. Le membre et les abonnés la reçoivent.
done-reply-hidden = Masquée. Le motif figure au journal de modération.
done-reply-pinned = C’est fait.
done-reply-reported = Merci ; les administrateurs vont examiner le signalement.
questions-title = Questions en attente de réponse
questions-none = Aucune question n’attend de réponse.
admin-replies-title = Réponses
admin-replies-none = Aucune réponse reçue pour l’instant.
admin-nav-replies = Réponses
reply-visibility-public = Publique
reply-visibility-unlisted = Non listée
staff-col-questions = Questions en attente

## Liveness: what the node's probes found about a listed service
attr-service-url = Adresse du service
edit-service-url-hint = L’adresse de base du service en fonctionnement (p. ex. https://bbb.example.coop/), pas sa page d’accueil. Ce nœud vérifie toutes les 15 minutes qu’il répond.
edit-probe = Laisser ce nœud vérifier que le service répond
liveness-title = Le service fonctionne-t-il ?
liveness-up = En ligne
liveness-down = Hors ligne
liveness-refused = Non vérifié : ce nœud refuse de se connecter à son adresse
liveness-not-yet = Pas encore vérifié
liveness-not-probed = Non vérifié : la coopérative n’a pas indiqué d’adresse de service, ou a désactivé les vérifications.
liveness-unreachable = Injoignable
liveness-unreachable-since = le service ne répond plus depuis le { $date }
liveness-checked = vérifié { $ago }
liveness-ago-minutes = { $count ->
    [one] il y a { $count } min
   *[other] il y a { $count } min
}
liveness-ago-hours = { $count ->
    [one] il y a { $count } heure
   *[other] il y a { $count } heures
}
liveness-ago-days = { $count ->
    [one] il y a { $count } jour
   *[other] il y a { $count } jours
}
liveness-uptime-30d = { $percent } sur 30 jours
liveness-measured-here = mesuré par ce nœud
liveness-measured-by = mesuré par { $node }, pas par ce nœud
liveness-confirmed = Dernière confirmation par la coopérative le { $date }
liveness-not-confirmed = Pas confirmé par la coopérative sur ce nœud
filter-working-now = En service maintenant
filter-working-hint = services qui ont répondu à leur dernière vérification
outdated-title = Signaler des informations obsolètes
outdated-comment = Qu’est-ce qui est obsolète ou faux ?
outdated-button = Envoyer à la coopérative et aux administrateurs
outdated-thanks = Merci. Le personnel de la coopérative et les administrateurs de ce nœud verront votre signalement.
outdated-comment-missing = Dites ce qui est obsolète, pour que la coopérative puisse le corriger.
outdated-comment-too-long = Un signalement compte au plus { $count } caractères.
outdated-rate-limited = { $count ->
    [one] Trop de signalements depuis votre adresse. Réessayez dans une minute.
   *[other] Trop de signalements depuis votre adresse. Réessayez dans { $count } minutes.
}
outdated-back = Retour à { $name }
staff-liveness-title = Vérifications de vos services
staff-unreachable = { $name } ne répond plus aux vérifications de ce nœud depuis le { $date }. Les membres le voient marqué comme injoignable ; réparez le service ou corrigez son adresse.
staff-version-mismatch = La fiche indique la version { $listed }, mais le service annonce la version { $observed } : mettez à jour la fiche (ou le service).
staff-outdated-title = Signalements d’informations obsolètes
staff-outdated-item = { $date } : { $comment }
staff-outdated-done = Traité
done-outdated = Le signalement est marqué comme traité.

## Fediscovery (FASP) and privacy
fasp-admin-title = Enregistrements Fediscovery
fasp-admin-hint = Serveurs du fédivers (Mastodon 4.4 et versions ultérieures) qui demandent à ce nœud la recherche de comptes et des recommandations d’abonnement. Pour vous enregistrer auprès d’un serveur, lancez « coopdir fasp register https://SERVEUR » et communiquez l’empreinte affichée aux administrateurs de ce serveur.
fasp-admin-none = Ce nœud n’est enregistré auprès d’aucun serveur.
fasp-col-id = Enregistrement
fasp-col-server = Serveur
fasp-col-status = État
fasp-col-fingerprint = Empreinte de la clé
fasp-col-capabilities = Capacités activées
fasp-col-registered = Enregistré
fasp-revoke-button = Révoquer l’enregistrement { $id }
fasp-revoked = L’enregistrement est révoqué : les requêtes de ce serveur sont désormais refusées.
fasp-unknown = Cet enregistrement n’existe pas.
privacy-title = Confidentialité
privacy-lead = Ce que ce nœud conserve sur les personnes qui l’utilisent.
privacy-federation = Les comptes du fédivers qui suivent une fiche sont enregistrés (leur adresse et leur boîte de réception) pour que les annonces leur parviennent, jusqu’à ce qu’ils se désabonnent.
privacy-fasp-heading = Recherche et recommandations pour les serveurs du fédivers (Fediscovery)
privacy-fasp = Les serveurs enregistrés auprès de ce nœud envoient les mots que leurs membres recherchent et, pour les recommandations d’abonnement, l’adresse du compte qui les demande. Ces données servent uniquement à répondre à cette requête : elles ne sont ni conservées, ni journalisées, ni transmises. Seules les fiches de ce nœud qui ont accepté d’être trouvées (indexables et découvrables) sont renvoyées.

## Answers of the directory actor to questions from the fediverse
ask-alternatives = Alternatives compatibles à { $name }, la meilleure d’abord :
ask-alternatives-none = Je ne connais pas encore d’alternative compatible à { $name }.
ask-matches = { $count ->
    [one] { $count } résultat :
   *[other] { $count } résultats ; voici les premiers :
}
ask-none = Je n’ai trouvé aucune offre répertoriée pour cela. Essayez avec moins de mots, ou une plateforme comme bigbluebutton ou jitsi.
## Refusals of the directory (forms and the API say them in the reader's language)
error-unknown-value = { $kind ->
    [platform] plateforme inconnue
    [feature] fonctionnalité inconnue
    [price-model] modèle de prix inconnu
    [price-period] période de facturation inconnue
    [registration] mode d'inscription inconnu
    [co-op-form] forme de coopérative inconnue
    [status] statut inconnu
    [announcement-kind] type d'annonce inconnu
    [moderation-state] état de modération inconnu
    [actor-kind] type d'acteur inconnu
    [delivery-state] état de livraison inconnu
   *[other] valeur inconnue ({ $kind })
} : « { $value } » ; valeurs acceptées : { $expected }
error-currency = « { $value } » n'est pas un code de devise ISO 4217 ; utilisez trois lettres, par exemple EUR, GBP ou USD
error-country = « { $value } » n'est pas un code de pays ISO 3166-1 ; utilisez deux lettres, par exemple DE, FR ou GB
error-language = « { $value } » n'est pas une étiquette de langue BCP 47 ({ $reason }) ; utilisez par exemple en, de ou pt-BR
error-handle = « { $value } » n'est pas un nom d'identifiant valable ; utilisez de 1 à 30 lettres minuscules, chiffres ou _ (par exemple meetcoop_bbb)
error-name-length = un nom doit compter de 1 à 100 caractères sur une seule ligne ; celui-ci en compte { $count }
error-summary-length = une description compte au plus 5000 caractères ; celle-ci en compte { $count } ; raccourcissez-la
error-amount = « { $value } » n'est pas un montant ; écrivez un nombre comme 9 ou 9.50
error-price-no-currency = un montant a besoin d'une devise ; indiquez par exemple EUR
error-price-no-amount = une devise sans montant ; indiquez un montant, par exemple 9.50, ou retirez la devise
error-price-free = une offre gratuite ne peut pas avoir de montant ; retirez le montant ou changez de modèle de prix
error-url = « { $value } » n'est pas une URL ({ $reason }) ; écrivez-la en entier, par exemple https://example.coop/
error-web-url = « { $value } » n'est pas une adresse web ; utilisez une URL https:// d'au plus 2000 caractères
error-count-range = { $value } est hors limites ; utilisez un nombre de 1 à { $max }
error-notice-range = un préavis de { $value } jours est hors limites ; utilisez de 0 à 3650
error-announce-author = seules les coopératives et les offres publient des annonces
error-translation-default = « { $tag } » est la langue par défaut de ce nœud ; donnez ce texte comme texte principal
error-translation-unoffered = « { $tag } » n'est ni une langue de l'interface ni une langue proposée par cette offre ; utilisez l'une de : { $offered }
error-translation-twice = le texte en « { $tag } » est donné deux fois
error-announce-empty = le texte de l'annonce est vide ; écrivez ce que les membres doivent savoir
error-announce-too-long = l'annonce compte { $count } caractères ; { $max } au plus sont permis
error-announcement-unknown = il n'y a pas d'annonce { $url } sur ce nœud
error-announcement-not-local = { $url } n'est pas une annonce de ce nœud
error-sunset-not-local = @{ $handle } n'est ni une coopérative ni une offre de ce nœud ; seules celles-ci peuvent fermer
error-sunset-already = @{ $handle } est déjà en fermeture : { $end } est son dernier jour de service. Une fermeture peut être repoussée à une date plus tardive, ou annulée (--cancel)
error-sunset-not-active = @{ $handle } est { $status ->
    [sunsetting] en fermeture
    [closed] fermée
    [transferred] transférée
   *[other] { $status }
} ; seule une offre active peut annoncer sa fermeture
error-note-too-long = la note dépasse 2000 caractères ; tenez-vous-en à ce que les membres doivent savoir
error-sunset-notice = { $name } a promis un préavis de { $notice } jours avant de fermer ; le dernier jour de service, { $end }, est dans { $days } jours. Choisissez le { $earliest } ou plus tard.
error-sunset-past = le dernier jour de service, { $end }, est passé ; choisissez une date plus tardive
error-sunset-none = @{ $handle } est { $status ->
    [active] active
    [closed] fermée
    [transferred] transférée
   *[other] { $status }
}, pas en fermeture ; il n'y a pas de fermeture à annuler
error-transfer-pending = @{ $handle } a déjà une proposition de transfert en attente ({ $id }) vers { $successor } ; attendez sa réponse ou son expiration le { $expires }
error-transfer-self = une offre ne peut pas être transférée à elle-même
error-successor-moved = le successeur { $successor } a lui-même fermé ou déménagé
error-successor-unlisted = le successeur { $successor } n'est pas répertorié sur ce nœud
error-successor-offering = une coopérative est transmise à une autre coopérative ; { $successor } est une offre (désignez ses offres avec --map ANCIEN=NOUVEAU)
error-transfer-not-local = @{ $handle } n'est ni une coopérative ni une offre de ce nœud ; seules celles-ci peuvent être transférées
error-transfer-done = @{ $handle } a déjà été transférée à { $successor } ; une offre n'est transférée qu'une fois
error-transfer-closed = @{ $handle } est fermée et ne peut pas être transférée
error-proposal-unknown = il n'y a pas de proposition de transfert { $id } ; `coopdir transfers` les liste
error-proposal-elsewhere = la proposition { $id } est adressée à { $successor }, qui n'est pas sur ce nœud ; la réponse se donne là-bas
error-proposal-expired = la proposition { $id } a expiré le { $date } sans réponse ; l'autre coopérative peut la proposer à nouveau
error-proposal-answered = la proposition { $id } a déjà reçu une réponse : elle est { $state }
error-proposal-answered-by = la proposition { $id } a déjà reçu une réponse : elle est { $state } (par { $by })
error-proposal-not-yours = la proposition { $id } est adressée à { $successor } ; seule l'équipe de cette coopérative peut y répondre, pas { $username }
error-handle-elsewhere = « { $handle } » n'est pas sur ce nœud ({ $domain }) ; donnez un identifiant comme nom@{ $domain }
error-handle-removed = « { $handle } » a été retiré de ce nœud
error-handle-unknown = il n'y a pas de coopérative ni d'offre « { $handle } » sur ce nœud ; importez d'abord une fiche avec `coopdir import`
error-not-local-offering = { $id } n'est pas une offre de ce nœud
error-offering-removed = { $id } a été retirée et ne peut plus être modifiée
error-handle-fixed = l'identifiant de { $id } ne peut pas changer : il fait partie de l'identité de l'acteur
error-password-short = le mot de passe doit compter au moins { $min } caractères ; quelques mots pris au hasard en font un bon
error-domain-invalid = « { $value } » n'est pas un domaine ; donnez un domaine comme evil.example (ses sous-domaines sont inclus), éventuellement avec un port (localhost:8081), ou une URL sur ce domaine
error-domain-name = « { $value } » n'est pas un nom de domaine
error-domain-own = { $domain } est le domaine de ce nœud (ou un domaine parent) ; il ne peut pas être bloqué
error-domain-not-blocked = { $domain } n'est pas bloqué ; `coopdir domains` liste les blocages
error-domain-already-allowed = { $domain } est déjà autorisé
error-domain-not-allowed = { $domain } n'est pas sur la liste d'autorisation
error-actor-gone = { $id } n'existe plus
error-actor-unknown = aucun acteur « { $target } » n'est connu ici ; donnez nom@domaine ou l'URL de l'acteur
error-actor-url = « { $target } » : { $reason }
error-moderate-instance = l'acteur de l'instance n'est pas une fiche et ne peut pas être modéré
error-moderation-state = { $id } est dans l'état « { $state } », que la modération ne change pas
error-moderation-already = { $id } est déjà { $state ->
        [pending] en attente d'approbation
        [hidden] masquée
        [suspended] suspendue
        [removed] retirée par sa coopérative
       *[approved] approuvée
    }
error-moderation-from = { $id } est { $state ->
        [pending] en attente d'approbation
        [hidden] masquée
        [suspended] suspendue
        [removed] retirée par sa coopérative
       *[approved] approuvée
    } ; « { $action } » ne s'applique qu'aux fiches { $allowed ->
        [pending-hidden] en attente ou masquées
        [pending-approved] en attente ou approuvées
        [hidden-suspended] masquées ou suspendues
       *[pending-approved-hidden] en attente, approuvées ou masquées
    }
error-report-unknown = il n'y a pas de signalement { $id } ; `coopdir reports` les liste
error-report-resolved = le signalement { $id } a déjà été traité ({ $resolution })
error-report-actor-gone = l'acteur du signalement { $id } ({ $actor }) n'est plus enregistré ; classez le signalement
error-report-forwarded = le signalement { $id } a déjà été transmis
error-report-forward-gone = l'acteur du signalement { $id } n'est plus enregistré
error-report-local = le signalement { $id } concerne { $actor }, une fiche de ce nœud ; seuls les signalements sur des acteurs distants sont transmis
error-report-forward-refused = impossible de transmettre le signalement { $id } : { $reason }
error-alternative-unknown = --alternative { $handle } : aucune offre de ce nom n'est répertoriée ici ; donnez l'identifiant nom@domaine d'une offre répertoriée
error-alternative-own = --alternative { $handle } : c'est l'un des services qui ferment ; nommez l'offre d'une autre coopérative
error-alternative-inactive = --alternative { $handle } : elle est { $status ->
        [sunsetting] en fermeture
        [closed] fermée
        [transferred] transférée
       *[active] active
    } ou sa coopérative ferme ; nommez une offre active
error-api-no-token = ce point d'accès demande un jeton d'API : envoyez `Authorization: Bearer <token>` ; un administrateur de ce nœud en crée un avec `coopdir token create USERNAME --name NAME` (voir docs/api.md)
error-api-bearer = l'en-tête Authorization doit être `Bearer <token>` avec un jeton d'API ; un administrateur de ce nœud en crée un avec `coopdir token create USERNAME --name NAME` (voir docs/api.md)
error-api-token-invalid = ce jeton d'API n'est pas valide : inconnu, révoqué ou mal saisi ; un administrateur de ce nœud en crée un avec `coopdir token create USERNAME --name NAME` (voir docs/api.md)
error-api-no-listing = ce nœud n'a pas de coopérative ni d'offre « { $username } » ; GET /api/v1/me liste les fiches que ce jeton peut gérer
error-api-not-allowed = le compte du jeton ne peut pas agir sur la fiche { $handle } : { $reason }
error-api-not-object = le corps de la requête doit être un objet JSON
error-api-limit = « { $value } » n'est pas un nombre de 1 à { $max }
error-api-note-long = plus de { $max } caractères ; tenez-vous-en à ce que les membres doivent savoir
error-api-alternatives-many = { $max } au plus ; nommez les quelques-unes qui conviennent le mieux aux membres
error-api-end-required = le dernier jour de service est requis, au format AAAA-MM-JJ (ou "cancel": true pour annuler une fermeture)
error-api-proposal-id = { $reason } ; donnez le numéro d'une proposition, tel que GET /api/v1/transfers le liste
error-api-proposal-staff = seule l'équipe de la coopérative de { $successor } répond à la proposition { $id } : { $reason }
error-api-reason-long = plus de { $max } caractères ; dites brièvement pourquoi
error-api-not-under = { $id } n'est pas sous une annonce de { $listing }
error-api-kind-action = les annonces « { $kind } » sont écrites par l'action { $kind } ; choisissez parmi : { $accepted }
error-api-kind-unknown = type d'annonce inconnu « { $kind } » ; valeurs attendues : { $accepted }
error-successor-url = « { $value } » n'est pas une URL : { $reason }
error-successor-unresolved = impossible de trouver le successeur { $successor } : { $reason } ; vérifiez l'identifiant ou l'URL
error-successor-gone = le successeur n'existe plus
error-proposal-origin-unknown = l'acteur qui propose, { $id }, est inconnu ici ; il a peut-être été supprimé
error-peer-address = « { $value } » n'est ni un domaine ni une URL ({ $reason })
error-peer-not-http = « { $value } » n'est pas une adresse http(s)
error-peer-not-https = « { $value } » n'est pas en https ; les pairs sont joints en https
error-peer-itself = un nœud ne peut pas s'appairer avec lui-même
error-peer-not-coopdir = { $domain } ne ressemble pas à un nœud coopdir : { $reason }
error-peer-no-nodeinfo = { $domain } ne publie pas de NodeInfo 2.x
error-peer-nodeinfo-elsewhere = son NodeInfo se trouve sur un autre hôte
error-peer-software = { $domain } utilise { $software }, pas coopdir ; seuls les nœuds coopdir peuvent être pairs
error-peer-instance-long = l'URL de son acteur d'instance dépasse { $max } octets
error-peer-instance-elsewhere = son acteur d'instance se trouve sur un autre hôte

## Who may act on a listing; the successor and hand-over map of a transfer
error-not-allowed-remote = { $listing } est une fiche d'un autre nœud ; elle ne peut être modifiée que là-bas
error-not-allowed-no-coop = le compte d'équipe « { $username } » n'appartient à aucune coopérative
error-not-allowed-other-coop = « { $username } » fait partie de l'équipe d'une autre coopérative et ne peut pas agir sur { $listing }
error-not-allowed-role = le compte « { $username } » n'a aucun rôle qui permette cela
error-staff-not-coop = { $id } n'est pas une coopérative de ce nœud ; les comptes d'équipe appartiennent à une coopérative locale
error-account-exists = un compte « { $username } » existe déjà
error-successor-empty = désignez le successeur : son identifiant nom@domaine ou l'URL de son acteur
error-successor-not-url = « { $value } » n'est pas une URL ({ $reason }) ; désignez le successeur : son identifiant nom@domaine ou l'URL de son acteur
error-successor-shape = « { $value } » n'est ni l'URL d'un acteur ni un identifiant ; désignez le successeur : son identifiant nom@domaine ou l'URL de son acteur
error-successor-not-here = il n'y a pas de coopérative ni d'offre { $successor } sur ce nœud
error-successor-no-alias = le successeur { $successor } ne mentionne pas { $origin } dans alsoKnownAs ; les serveurs des abonnés refuseraient donc le déménagement. Demandez à l'autre coopérative de l'ajouter : sur Mastodon, ajoutez un alias de compte sous Préférences › Compte › Déménager depuis un autre compte. Puis relancez le transfert.
error-map-not-coop = --map s'applique à la transmission d'une coopérative entière ; indiquez l'identifiant d'une coopérative à transférer
error-map-pair = --map « { $pair } » n'est pas de la forme ANCIEN=NOUVEAU ; par exemple --map bbb@{ $domain }=rooms@other.example
error-map-old = --map { $pair } : { $old } n'est pas une offre de { $coop } ; n'associez que les offres de la coopérative elle-même
error-map-new = --map { $pair } : { $new } n'est pas une offre du successeur { $successor } ; associez à ses propres offres
error-map-elsewhere = --map { $pair } : { $new } n'est pas sur le nœud du successeur ; associez à ses propres offres
error-api-map-many = au plus { $max } paires ANCIEN=NOUVEAU
error-api-map-pair = « { $pair } » n'est pas de la forme ANCIEN=NOUVEAU, par exemple "bbb=rooms@other.example"
error-api-transfer-confirm = un transfert déplace tous les abonnés et ne peut pas être annulé ; envoyez "confirm": true (ou "preview": true pour le voir d'abord)
error-api-end-date = « { $value } » n'est pas une date du 2000-01-01 au 2999-12-31 ; indiquez le dernier jour de service au format AAAA-MM-JJ
error-api-proposal-gone = la proposition { $id } n'existe plus

## Refusals of the API's own checks, replies, imports, feeds and exports
error-api-coop-not-offering = { $handle } est une coopérative, pas une offre ; ce point d'accès s'applique aux offres
error-api-bad-query = requête incorrecte : { $reason }
error-api-not-json = le corps de la requête n'est pas du JSON ({ $reason }) ; envoyez un objet JSON avec `Content-Type: application/json`
error-api-no-offering = ce nœud ne répertorie aucune offre « { $username } »
error-not-listed-here = aucune coopérative ni offre répertoriée « { $username } » sur ce nœud
error-no-listing-here = aucune coopérative ni offre « { $username } » sur ce nœud
error-report-not-open = { $username } n'a pas de signalement ouvert { $id }
error-filter-many = au plus { $max } valeurs sont acceptées ; { $given } ont été données
error-filter-working = « { $value } » n'est pas accepté ; utilisez working=true (ou omettez-le)
error-answer-target = { $url } n'est ni une annonce de ce nœud ni une réponse à l'une d'elles ; donnez l'URL de l'annonce ou de la réponse affichée sur sa page
error-answer-hidden = { $url } est masquée par la modération ; on ne peut pas y répondre
error-answer-empty = la réponse est vide ; écrivez ce que le membre doit savoir
error-answer-long = la réponse compte { $count } caractères ; { $max } au plus sont autorisés
error-reply-unknown = il n'y a pas de réponse { $url } sur ce nœud
error-reply-announcement-gone = l'annonce de { $url } n'existe plus
error-reply-not-here = { $url } n'est pas sous une annonce de ce nœud
error-pin-member = { $url } est la réponse d'un membre ; seules les réponses de la coopérative peuvent être épinglées
error-hide-reason = donnez une raison : elle est conservée dans le journal de modération
error-handle-other-coop = l'identifiant « { $handle } » appartient déjà à une autre coopérative ou au nœud ; choisissez un autre identifiant
error-handle-taken = « { $handle } » est déjà pris sur ce nœud (par { $kind ->
        [instance] l'acteur de l'instance
        [coop] la coopérative
        [offering] l'offre
        [group] le groupe de catégories
        [person] la personne
       *[remote] l'acteur distant
    }) ; choisissez un autre identifiant
error-handle-retired = « { $handle } » a été supprimé ; ses abonnés ont été informés de sa disparition, l'identifiant n'est donc pas réutilisé. Choisissez un autre identifiant.
error-alternatives-unknown = cet annuaire ne connaît pas d'offre { $target } ; donnez l'URL de l'acteur d'une offre répertoriée
error-export-not-coop = { $handle } n'est pas une coopérative répertoriée de ce nœud ; l'export prend l'identifiant d'une coopérative
error-no-such-offering = ce nœud ne répertorie pas cette offre
error-no-such-announcement = ce nœud n'a pas cette annonce
error-api-actor-required = le paramètre de requête `actor` est obligatoire : donnez l'URL de l'acteur d'une offre, par exemple /api/v1/offerings/alternatives?actor=https://node.example/actors/name
error-api-aka-fixed = les acteurs précédents d'une offre sont fixés par un transfert vers elle, pas modifiés ; omettez le champ ou envoyez-le inchangé
error-filter-not-stated = not-stated n'est pas une valeur de filtre : les fiches dont la source n'indique ni prix ni inscription ne correspondent à aucun filtre de prix ou d'inscription ; omettez le filtre
error-page-zero = les numéros de page commencent à 1
error-page-not-number = « { $value } » n’est pas un numéro de page
error-offering-ref-url = « { $value } » n'est pas une URL ({ $reason }) ; donnez l'URL de l'acteur d'une offre, par exemple https://node.example/actors/name, ou son identifiant nom@node.example
error-offering-ref = « { $value } » n'est ni l'URL d'un acteur ni un identifiant ; donnez l'URL de l'acteur d'une offre, par exemple https://node.example/actors/name, ou son identifiant nom@node.example
