# Interfaz web de coopdir — español.
# Sintaxis Fluent: https://projectfluent.org/fluent/guide/
# Los mismos identificadores y argumentos que en.ftl (una prueba unitaria lo comprueba).

## Frame
skip-to-content = Saltar al contenido
site-tagline = un directorio de proveedores de servicios cooperativos
nav-label = Principal
nav-directory = Directorio
nav-about = Acerca de
nav-staff = Sus fichas
nav-admin = Moderación
nav-login = Iniciar sesión
nav-logout = Cerrar sesión ({ $user })
footer-software = Funciona con coopdir, software libre bajo la AGPL
footer-api = API
back-to-directory = Volver al directorio
lang-label = Idioma de las páginas
lang-unknown = Este directorio habla inglés, francés, alemán y español; elija uno de ellos.

## Errors
error-title = Algo salió mal
error-internal = Error interno; el registro del nodo tiene los detalles.
error-not-found = No encontrado
error-forbidden = No permitido
error-gone = Ya no existe
error-invalid = No se puede hacer
error-no-actor = No hay ninguna cooperativa ni oferta «{ $name }» en este nodo.
error-removed = Su cooperativa retiró esta ficha.
error-suspended = Esta ficha está suspendida.
error-no-announcement = No existe ese anuncio.
error-withdrawn = Este anuncio fue retirado.
error-not-offering = Solo las ofertas tienen este formulario.
error-no-page = No hay ninguna página en esta dirección. Quizá se movió, o el enlace tiene una errata.
error-summary-title = Hay un problema
form-has-errors = Algunos campos necesitan una corrección; vea los mensajes junto a ellos.

## Directory
directory-title = Encontrar un proveedor cooperativo
directory-lead = Videoconferencia y otros servicios gestionados por cooperativas, en este nodo y en los nodos con los que está enlazado. El orden es justo: cambia cada día y nunca depende de la popularidad.
search-title = Búsqueda: { $query }
search-label = Buscar
search-placeholder = p. ej. bigbluebutton alemán grabación
search-button = Buscar
search-too-long = Una búsqueda puede tener como mucho { $max } caracteres; esta tiene { $count }. Use menos palabras, o los filtros.
search-understood = Búsqueda entendida como:
search-understood-remove = Buscar sin:
search-relax = Búsquedas con menos palabras
search-without = Sin { $part }
filters-title = Filtros
skip-to-results = Ir a los resultados
filters-show = Mostrar filtros
filters-active = Filtros activos
filters-clear = Quitar todos los filtros
filter-remove = Quitar filtro:
filter-selected = seleccionado; elíjalo de nuevo para quitarlo
facet-platform = Plataforma
facet-feature = Funciones
facet-language = Idioma
facet-country = País
facet-price = Precio
facet-registration = Registro
facet-form = Forma cooperativa
facet-status = Estado
offerings-count = { $count ->
    [one] { $count } oferta
   *[other] { $count } ofertas
}
no-results = Ninguna oferta coincide. Quite un filtro o pruebe otras palabras.
listing-remote = de un nodo enlazado
compare-pick = Comparar
compare-selected = Comparar la selección
compare-hint = Elija de dos a cuatro ofertas.
follow-link = Seguir
pages-label = Páginas
page-prev = Anterior
page-next = Siguiente

group-invite-title = Seguir a todos los proveedores de videoconferencia
group-invite-lead = Seguir a { $name } le trae los anuncios de todos los proveedores de este directorio, también los nuevos:
group-invite-button = Seguirlos a todos
group-invite-page = Lo que difunde
follow-receive = Lo que recibirá: los anuncios de novedades, mantenimiento, cambios de precio y cierres, en su cronología de inicio. Nada más, y puede dejar de seguir en cualquier momento.

## Actor pages
feed-title = { $name }: anuncios
feed-link = Fuente Atom
handle-label = Seguir desde el fediverso:
copy = Copiar
copied = Copiado
followers-count = { $count ->
    [one] { $count } seguidor
   *[other] { $count } seguidores
}
manage-link = Gestionar
not-listed = Esta ficha no se muestra en el directorio por ahora.
follow-instance-label = Su instancia
follow-instance-placeholder = p. ej. mastodon.social
follow-button = Seguir
follow-hint = Su propio servidor le pide que confirme el seguimiento. También puede buscar la dirección en su aplicación.
offered-by = Ofrecido por
attributes-title = De un vistazo
sunset-notice = Este servicio cierra: el { $date } es su último día de servicio.
see-alternatives = Ver alternativas compatibles.
transferred-to = Ahora lo ofrece
follow-successor = Seguir al sucesor
lifecycle-alternatives = Alternativas compatibles que puede seguir y a las que puede cambiarse:
alternatives-title = Alternativas compatibles
alternatives-none = Todavía no hay ninguna alternativa compatible en el directorio.
alternatives-lead = Ordenadas según lo bien que encajan con esta oferta, nunca por popularidad.
alternative-favour = A favor:
alternative-drawbacks = Inconvenientes:
compare-with-alternatives = Comparar lado a lado
announcements-title = Anuncios
announcement-heading = { $kind } de { $name }
announcements-none = Todavía no hay anuncios.
coop-about-title = Acerca de la cooperativa
coop-offerings-title = Ofertas
coop-offerings-none = Esta cooperativa todavía no ofrece nada.

report-link = Denunciar esta ficha
report-title = Denunciar { $name }
report-lead = Diga a la administración de este nodo qué está mal en esta ficha: una afirmación falsa, un servicio cerrado que sigue en la lista, un abuso. Deciden con un motivo, publicado en el registro de moderación; su denuncia es privada y anónima.
report-comment = Qué está mal
report-comment-hint = Como mucho 2.000 caracteres. No escriba datos personales.
report-button = Enviar la denuncia
report-comment-missing = Diga qué está mal en la ficha.
report-too-many = Esta ficha ya se ha denunciado muchas veces y la administración aún no ha decidido; la revisará.
report-done = Gracias. La administración de este nodo revisará su denuncia.

## Attributes
attr-platform = Plataforma
attr-features = Funciones
attr-participants = Participantes por sala
attr-rooms = Salas simultáneas
attr-price = Precio
attr-languages = Idiomas de la interfaz
attr-support-languages = Idiomas del soporte
attr-jurisdiction = Jurisdicción
attr-data-location = Datos almacenados en
attr-registration = Registro
attr-coop = Cooperativa
attr-free-software = Software libre
attr-notice = Preaviso antes del cierre
attr-status = Estado
attr-successor = Sucesor
attr-homepage = Sitio web
attr-signup = Registrarse
attr-funding = Financiación o membresía
attr-form = Forma cooperativa
attr-country = País
attr-website = Sitio web
yes = sí
no = no
days = { $count ->
    [one] { $count } día
   *[other] { $count } días
}
status-sunsetting-until = en cierre, último día de servicio el { $date }

## Compare
compare-title = Comparar ofertas
compare-lead = Las filas cuyos valores difieren están marcadas.
compare-caption = { $count } ofertas lado a lado
compare-differs = los valores difieren
compare-differs-key = Las filas marcadas difieren entre las ofertas.
compare-remove = Quitar
compare-add-title = Añadir una oferta a la comparación
compare-add = Añadir
compare-back = Volver al directorio para elegir ofertas
compare-count = Elija al menos { $min } y como mucho { $max } ofertas para comparar.
compare-given = { $count ->
    [one] Se indicó { $count }.
   *[other] Se indicaron { $count }.
}
compare-unknown = Este directorio no tiene ninguna oferta «{ $actor }».

## Follow
follow-title = Seguir a { $name }
follow-lead = Escriba el dominio de su servidor del fediverso (Mastodon u otro); allí confirmará el seguimiento.
follow-unknown = Este directorio no tiene esa cooperativa ni esa oferta.
follow-instance-missing = Escriba el dominio de su instancia, por ejemplo mastodon.social.
follow-instance-invalid = «{ $input }» no es el dominio de un servidor. Escriba solo el dominio, por ejemplo mastodon.social (o su dirección, por ejemplo @usted@mastodon.social).

## About
about-title = Acerca de
about-heading = Acerca de { $name }
about-lead = Este nodo coopdir en { $domain } recoge proveedores de servicios cooperativos y muestra las fichas de los nodos con los que está enlazado.
about-coops = { $count ->
    [one] { $count } cooperativa publica aquí
   *[other] { $count } cooperativas publican aquí
}
about-offerings = { $count ->
    [one] { $count } oferta de este nodo
   *[other] { $count } ofertas de este nodo
}
about-remote-offerings = { $count ->
    [one] { $count } oferta de nodos enlazados
   *[other] { $count } ofertas de nodos enlazados
}
about-charter = Carta
about-charter-none = Este nodo todavía no ha publicado una carta.
about-peers = Nodos enlazados
about-peers-none = Este nodo todavía no está enlazado con otros nodos.
about-peer-domain = Nodo
about-peer-synced = Última sincronización
about-ask = Preguntar al directorio
about-ask-lead = Mencione el directorio desde su cuenta del fediverso con lo que busca, como «bigbluebutton alemán grabación», o «alternativas a» una dirección:

## Login
login-title = Iniciar sesión
login-lead = Para el personal de las cooperativas y la administración de este nodo.
login-username = Nombre de usuario
login-password = Contraseña
login-button = Iniciar sesión
login-username-missing = Escriba su nombre de usuario.
login-password-missing = Escriba su contraseña.
login-failed = Nombre de usuario o contraseña incorrectos.
login-rate-limited = { $count ->
    [one] Demasiados intentos fallidos. Vuelva a intentarlo dentro de un minuto.
   *[other] Demasiados intentos fallidos. Vuelva a intentarlo dentro de { $count } minutos.
}

## Staff
staff-title = Sus fichas
staff-lead = Sesión iniciada como { $user } ({ $role }).
staff-listings = Fichas que gestiona
staff-listings-none = Esta cuenta no gestiona ninguna ficha.
staff-col-name = Nombre
staff-col-kind = Tipo
staff-col-status = Estado
staff-col-moderation = Moderación
staff-col-followers = Seguidores
staff-public-page = página pública
queue-title = Envíos de este nodo
queue-pending = En espera
queue-delivered = Entregados
queue-failed = Abandonados
queue-rejected = Rechazados por el destinatario
queue-unavailable = Servidores marcados como no disponibles
manage-title = Gestionar { $name }
manage-sections = En esta página
manage-deliveries = Envíos de esta ficha
manage-deliveries-counts = { $delivered } entregados, { $pending } en espera
manage-deliveries-failed = { $failed } abandonados, { $rejected } rechazados
done-edit = Guardado. Los seguidores reciben la actualización.
done-announce = Publicado. Los seguidores reciben el anuncio.
done-sunset = El cierre ha comenzado. Los seguidores fueron avisados y recibirán recordatorios.
done-transfer = Transferido. Los seguidores se están pasando al sucesor.
done-transfer-proposed = Propuesto. Nada cambia hasta que la cooperativa del sucesor acepte; su respuesta aparecerá abajo.
done-transfer-accepted = Aceptado. Los seguidores se están pasando a usted.
done-transfer-declined = Rechazado. Nada cambia, y se informa del motivo a la cooperativa que lo propuso.
done-sunset-cancelled = El cierre está cancelado. Los seguidores fueron avisados.

announce-title = Publicar un anuncio
announce-lead = Se envía a todos los seguidores y se muestra en la página pública. Las líneas en blanco separan párrafos; las #etiquetas se convierten en enlaces.
announce-kind = Tipo
announce-text = Texto
announce-button = Publicar
announce-languages = En otros idiomas (opcional)
announce-languages-lead = Los miembros leen el texto en su idioma cuando se indica aquí; el texto de arriba es el del idioma predeterminado del nodo.
announce-other-lang = Otro idioma (un código como it o pt-BR, que ofrezca la ficha)
announce-other-text = Texto en ese idioma
announce-kind-invalid = Elija uno de los tipos de la lista.

edit-title = Editar la oferta
edit-lead = Los cambios se publican de inmediato y se envían a los seguidores como actualización.
edit-name = Nombre
edit-summary = Descripción
edit-platform-version = Versión de la plataforma
edit-price-model = Modelo
edit-price-amount = Importe
edit-price-currency = Moneda (p. ej. EUR)
edit-price-period = Por
edit-languages-hint = Elija cada idioma; mantenga pulsado Ctrl (⌘ en un Mac) para elegir varios.
edit-country-hint = El país cuya ley se aplica, si lo hay.
edit-countries-hint = Elija cada país; mantenga pulsado Ctrl (⌘ en un Mac) para elegir varios.
edit-notice-days = Días de preaviso antes del cierre
edit-not-a-number = Escriba un número entero.
edit-too-many = { $count ->
    [one] Se permite como mucho { $count } valor.
   *[other] Se permiten como mucho { $count } valores.
}
edit-button = Guardar los cambios

sunset-title = Iniciar un cierre
sunset-lead = Los seguidores reciben aviso ahora y recordatorios 30 y 7 días antes del último día de servicio; el servicio cierra al día siguiente. En una cooperativa, todas sus ofertas activas cierran con ella. El primer último día de servicio que permite el preaviso prometido es el { $date }.
sunset-end = Último día de servicio
sunset-button = Iniciar el cierre
sunset-postpone-title = Aplazar o cancelar el cierre
sunset-postpone-lead = Elija un último día de servicio posterior (el { $date } o después); los seguidores reciben aviso y los recordatorios siguen la nueva fecha. O cancele el cierre.
sunset-postpone-button = Aplazar el cierre
sunset-cancel-button = Cancelar el cierre
sunset-alternatives = Alternativas que citar primero
sunset-alternatives-hint = Direcciones (nombre@dominio) de ofertas de otras cooperativas, separadas por espacios; las alternativas ordenadas van después.
lifecycle-note = Nota para las personas socias
lifecycle-note-hint = Cómo exportar las grabaciones, hasta cuándo se pueden leer las cuentas, a quién preguntar. Aparece en los anuncios y en la página de la ficha.
preview-button = Vista previa
preview-title = Vista previa: no se guardó ni se envió nada
sunset-date-invalid = Elija una fecha (AAAA-MM-DD).

transfer-title = Transferir a un sucesor
transfer-lead = Dentro de su cooperativa el traspaso es inmediato. Otra cooperativa recibe una propuesta y debe aceptarla primero (en otro nodo coopdir, mediante una oferta federada); hasta entonces nada cambia. Un sucesor fuera de coopdir (una cuenta de Mastodon) debe declarar este actor como cuenta anterior. Los servidores de los seguidores siguen entonces al sucesor por sí mismos.
transfer-to = Sucesor
transfer-to-hint = Su dirección (nombre@dominio) o la URL de su actor.
transfer-to-missing = Indique el sucesor.
transfer-confirm = Entiendo que todos los seguidores se trasladan y que una transferencia no se puede deshacer.
transfer-confirm-missing = Confirme que se deben trasladar los seguidores.
transfer-button = Transferir
transfer-note-hint = Para la otra cooperativa y para las personas socias: qué pasa con las cuentas y las grabaciones, a quién preguntar.
transfer-preview-consent = El sucesor pertenece a otra cooperativa: debe aceptar antes de que nada cambie.
transfer-preview-now = El traspaso sería inmediato.
proposals-title = Propuestas de transferencia
staff-awaiting = Propuestas de transferencia que esperan su respuesta
proposals-lead = Propuestas para traspasar un servicio entre cooperativas, entrantes y salientes, con su historial. Nada cambia hasta que la cooperativa del sucesor acepte.
proposal-heading = Propuesta { $id }
proposal-state = Estado
proposal-expires = caduca el { $date } si no hay respuesta
proposal-reason = Motivo
proposal-changes = Qué cambia para las personas socias:
proposal-accept-hint = Aceptar declara al actor que propone como una cuenta anterior suya y le traslada sus seguidores. No se puede deshacer.
proposal-accept = Aceptar la transferencia
proposal-decline = Rechazar

## Vocabularies
platform-bigbluebutton = BigBlueButton
platform-jitsi = Jitsi Meet
platform-galene = Galène
platform-nextcloud-talk = Nextcloud Talk
platform-matrix = Matrix / Element Call
platform-opentalk = OpenTalk
platform-other = Otra
feature-recording = grabación
feature-breakout-rooms = salas de grupos
feature-shared-notes = notas compartidas
feature-whiteboard = pizarra
feature-polls = encuestas
feature-dial-in = acceso por teléfono
feature-streaming = emisión en directo
feature-e2ee = cifrado de extremo a extremo
feature-captions = subtítulos
feature-lti = LTI / Moodle
feature-nextcloud = integración con Nextcloud
feature-screen-sharing = compartir pantalla
feature-chat = chat
price-free = gratis
price-pay-what-you-can = paga lo que puedas
price-membership = membresía
price-subscription = suscripción
price-not-stated = no indicado
period-month = mes
period-year = año
period-once = pago único
period-event = evento
registration-open = abierto
registration-members-only = solo para socios
registration-waitlist = lista de espera
registration-closed = cerrado
registration-not-stated = no indicado
form-worker = cooperativa de trabajo
form-consumer = cooperativa de consumo
form-multi-stakeholder = cooperativa multiactor
form-federation-member = miembro de una federación de cooperativas
form-platform = cooperativa de plataforma
form-other = otra forma cooperativa
status-active = activo
status-sunsetting = en cierre
status-closed = cerrado
status-transferred = transferido
kind-news = novedad
kind-maintenance = mantenimiento
kind-price = cambio de precio
kind-capacity = cambio de capacidad
kind-sunset = cierre
kind-transfer = transferencia
moderation-pending = pendiente de aprobación
moderation-approved = publicada
moderation-hidden = oculta
moderation-suspended = suspendida
moderation-removed = retirada
actor-instance = actor de la instancia
actor-coop = cooperativa
actor-offering = oferta
actor-group = grupo de categoría
actor-person = persona
actor-remote = actor remoto
role-admin = administración
role-staff = personal de cooperativa

## Admin pages (/admin…) and the public moderation log (/moderation)
admin-forbidden = Solo la administración de este nodo puede abrir las páginas de moderación.
admin-title = Moderación
admin-nav-label = Páginas de moderación
admin-nav-overview = Resumen
admin-nav-queue = Cola de aprobación
admin-nav-reports = Denuncias
admin-nav-domains = Dominios
admin-nav-log = Registro
admin-nav-fasp = Fediscovery
admin-nav-public = Registro público
admin-count-pending = { $count ->
    [one] ficha espera aprobación
   *[other] fichas esperan aprobación
}
admin-count-reports = { $count ->
    [one] denuncia abierta
   *[other] denuncias abiertas
}
admin-count-blocked = { $count ->
    [one] dominio bloqueado
   *[other] dominios bloqueados
}
admin-count-allowed = { $count ->
    [one] dominio permitido (modo de lista de permitidos)
   *[other] dominios permitidos (modo de lista de permitidos)
}
admin-overview-hint = Cada decisión tomada aquí se anota en el registro de moderación con su nombre y el motivo; las decisiones sobre fichas también aparecen en la página pública de moderación, sin nombres.
admin-done-approve = Aprobada: la ficha está en el directorio.
admin-done-hide = Oculta: la ficha queda fuera del directorio y sigue federando.
admin-done-suspend = Suspendida: la ficha queda fuera del directorio y deja de federar.
admin-done-restore = Restablecida: la ficha vuelve a estar en el directorio.
admin-done-resolve = La denuncia está resuelta.
admin-done-forward = La denuncia se envió al nodo de origen de la ficha.
admin-done-block = El dominio está bloqueado; sus fichas almacenadas se actualizaron.
admin-done-unblock = El bloqueo se levantó; las fichas que ocultaba o suspendía han vuelto.
admin-done-allow = El dominio está en la lista de permitidos.
admin-done-disallow = El dominio ya no está en la lista de permitidos.
admin-page-invalid = La página debe ser un número a partir de 1.
admin-queue-title = Cola de aprobación
admin-queue-pending = { $count ->
    [one] Una ficha espera aprobación
   *[other] { $count } fichas esperan aprobación
}
admin-queue-hint = Las fichas nuevas esperan aquí cuando el nodo exige aprobación (require-approval remote o all). Aprobar las publica; ocultar o suspender las mantiene fuera, con un motivo.
admin-queue-empty = Ninguna ficha espera aprobación.
admin-col-listing = Ficha
admin-col-state = Estado
admin-col-decide = Decisión
admin-local = este nodo
admin-remote = de otro nodo
admin-since = conocida desde el { $date }
admin-no-actions = Ninguna decisión se aplica a una ficha retirada.
admin-action = Acción
admin-action-approve = aprobar
admin-action-hide = ocultar
admin-action-suspend = suspender
admin-action-restore = restablecer
admin-reason = Motivo
admin-act-button = Decidir
admin-action-invalid = Elija aprobar, ocultar, suspender o restablecer.
admin-reason-missing = Indique un motivo; se anota en el registro de moderación y en la página pública de moderación.
admin-text-too-long = Como mucho { $count } caracteres.
admin-target-missing = Elija una ficha: no existe esa ficha en este nodo.
admin-not-listing = Aquí solo se moderan cooperativas y ofertas.
admin-find-title = Buscar cualquier ficha
admin-find-label = Nombre, dirección o URL del actor
admin-find-button = Buscar
admin-find-hint = Cooperativas y ofertas locales y remotas en cualquier estado, p. ej. «meet», «nombre@dominio» o https://example.org/actors/nombre.
admin-find-none = Ninguna ficha coincide con «{ $q }».
admin-find-results = { $count ->
    [one] Una ficha encontrada
   *[other] { $count } fichas encontradas
}
admin-reports-title = Denuncias
admin-reports-hint = Denuncias abiertas, las más recientes primero: de otros servidores (actividades Flag) o presentadas en este nodo. Desestimar deja la ficha como está; ocultar o suspender decide sobre ella. Las denuncias resueltas están en el registro.
admin-reports-none = No hay ninguna denuncia abierta.
admin-report-heading = Denuncia { $id } sobre { $target }
admin-report-received = Recibida
admin-report-reporter = Denunciada por
admin-report-filed-here = presentada en este nodo
admin-report-target = Ficha denunciada
admin-report-posts = Publicaciones denunciadas
admin-report-no-posts = ninguna indicada
admin-report-comment = Comentario
admin-report-no-comment = sin comentario
admin-report-forwarded = Reenviada
admin-target-gone = ya no almacenada
admin-resolution = Resolver
admin-resolution-dismiss = desestimando la denuncia
admin-resolution-hide = ocultando la ficha
admin-resolution-suspend = suspendiendo la ficha
admin-resolution-missing = Elija cómo resolver la denuncia.
admin-note = Nota
admin-resolve-button = Resolver
admin-forward-hint = La ficha pertenece a otro nodo: su administración puede actuar allí. Reenviar les envía esta denuncia en nombre de este nodo (no de quien denunció).
admin-forward-button = Reenviar a su nodo de origen
admin-no-report = No existe la denuncia { $id }.
admin-domains-title = Dominios
admin-domains-hint = Un bloqueo abarca el dominio y sus subdominios. Rechazar impide todo intercambio con él y suspende sus fichas aquí; ocultar sigue federando y mantiene sus fichas fuera del directorio.
admin-blocks = Dominios bloqueados
admin-blocks-none = No hay ningún dominio bloqueado.
admin-col-domain = Dominio
admin-col-severity = Gravedad
admin-col-reason = Motivo
admin-col-by = Por
admin-col-remove = Quitar
admin-severity-reject = rechazar
admin-severity-hide = ocultar
admin-unblock-button = Levantar el bloqueo de { $domain }
admin-block-title = Bloquear un dominio
admin-block-hint = Bloquear un dominio ya bloqueado cambia su gravedad y su motivo.
admin-domain = Dominio
admin-domain-missing = Indique un dominio, por ejemplo evil.example.
admin-severity-invalid = Elija rechazar u ocultar.
admin-block-button = Bloquear
admin-allows = Lista de permitidos
admin-allows-hint = Este nodo federa en modo de lista de permitidos: solo con estos dominios y sus subdominios (y nunca con los bloqueados).
admin-allows-inactive = Este nodo federa con todos los dominios no bloqueados; la lista de permitidos solo se aplica en ese modo (--federation-mode allowlist).
admin-allows-none = Todavía no hay ningún dominio permitido.
admin-disallow-button = Quitar { $domain } de la lista de permitidos
admin-allow-button = Permitir
admin-log-title = Registro de moderación
admin-log-count = { $count ->
    [one] Una entrada
   *[other] { $count } entradas
}
admin-log-none = Todavía no se ha decidido nada.
admin-col-when = Cuándo
admin-col-action = Decisión
admin-col-target = Sobre
admin-col-change = Cambio
admin-log-report = denuncia { $id }
admin-log-pages = Páginas del registro
admin-log-newer = Más recientes
admin-log-older = Más antiguas
admin-log-page = Página { $page } de { $pages }
admin-log-action-approve = aprobada
admin-log-action-hide = oculta
admin-log-action-suspend = suspendida
admin-log-action-restore = restablecida
admin-log-action-domain-block = dominio bloqueado
admin-log-action-domain-unblock = bloqueo de dominio levantado
admin-log-action-block = bloqueo de dominio
admin-log-action-unblock = desbloqueo de dominio
admin-log-action-allow = lista de permitidos: añadido
admin-log-action-disallow = lista de permitidos: quitado
admin-log-action-report-dismiss = denuncia desestimada
public-log-title = Decisiones de moderación
public-log-lead = Lo que la administración de { $name } decidió sobre las fichas de este directorio, cuándo y por qué, las más recientes primero.
public-log-privacy = No se muestra quién tomó cada decisión: las decisiones son del nodo, y nombrar a las personas voluntarias que las toman invita al acoso.
public-log-none = Todavía no se ha tomado ninguna decisión sobre una ficha.
about-moderation = Moderación
about-moderation-lead = Las fichas pueden quedar pendientes de aprobación, ocultas o suspendidas; cada una de esas decisiones se publica con su motivo.
about-moderation-link = Decisiones de moderación

## Replies under announcements
replies-title = Preguntas y respuestas
replies-lead = Responda a este anuncio desde su cuenta del fediverso; aquí aparecen las respuestas públicas y no listadas.
replies-none = Todavía no hay respuestas.
replies-feed = Fuente de este hilo
replies-feed-title = Respuestas a este anuncio
replies-faq-title = Preguntas respondidas
replies-count = { $count ->
    [one] { $count } respuesta
   *[other] { $count } respuestas
}
reply-coop-answer = Respuesta de la cooperativa
reply-pinned = Fijada
reply-hidden = Oculta por la moderación
reply-unanswered = Todavía sin respuesta
reply-visibility-followers = Solo seguidores: visible solo para el personal
reply-visibility-direct = Mensaje directo: visible solo para el personal
reply-answer = Responder
reply-answer-text = Respuesta
reply-answer-pin = Fijar en el anuncio
reply-answer-send = Enviar la respuesta
reply-follow-up = Añadir al hilo
reply-hide = Ocultar
reply-hide-reason = Motivo (se guarda en el registro de moderación)
reply-pin = Fijar en el anuncio
reply-unpin = Dejar de fijar
reply-report = Denunciar
reply-report-comment = ¿Qué problema tiene?
error-no-reply = No existe esa respuesta.
done-answer = Respondida. La persona socia y los seguidores reciben la respuesta.
done-reply-hidden = Oculta. El motivo está en el registro de moderación.
done-reply-pinned = Hecho.
done-reply-reported = Gracias; la administración revisará la denuncia.
questions-title = Preguntas que esperan respuesta
questions-none = No hay ninguna pregunta esperando respuesta.
admin-replies-title = Respuestas
admin-replies-none = Todavía no se ha recibido ninguna respuesta.
admin-nav-replies = Respuestas
reply-visibility-public = Pública
reply-visibility-unlisted = No listada
staff-col-questions = Preguntas en espera

## Liveness: what the node's probes found about a listed service
attr-service-url = Dirección del servicio
edit-service-url-hint = La dirección base del servicio en funcionamiento (p. ej. https://bbb.example.coop/), no su sitio web. Este nodo comprueba cada 15 minutos que responde.
edit-probe = Dejar que este nodo compruebe que el servicio responde
liveness-title = ¿Funciona?
liveness-up = En línea
liveness-down = Caído
liveness-refused = Sin comprobar: este nodo se niega a conectarse a su dirección
liveness-not-yet = Todavía sin comprobar
liveness-not-probed = Sin comprobar: la cooperativa no indicó ninguna dirección del servicio, o desactivó las comprobaciones.
liveness-unreachable = Inaccesible
liveness-unreachable-since = el servicio no responde desde el { $date }
liveness-checked = comprobado { $ago }
liveness-ago-minutes = { $count ->
    [one] hace { $count } min
   *[other] hace { $count } min
}
liveness-ago-hours = { $count ->
    [one] hace { $count } hora
   *[other] hace { $count } horas
}
liveness-ago-days = { $count ->
    [one] hace { $count } día
   *[other] hace { $count } días
}
liveness-uptime-30d = { $percent } en 30 días
liveness-measured-here = medido por este nodo
liveness-measured-by = medido por { $node }, no por este nodo
liveness-confirmed = Confirmado por última vez por la cooperativa el { $date }
liveness-not-confirmed = Sin confirmar por la cooperativa en este nodo
filter-working-now = Funcionando ahora
filter-working-hint = servicios que respondieron en su última comprobación
outdated-title = Avisar de información desactualizada
outdated-comment = ¿Qué está desactualizado o es incorrecto?
outdated-button = Enviar a la cooperativa y a la administración
outdated-thanks = Gracias. El personal de la cooperativa y la administración de este nodo verán su aviso.
outdated-comment-missing = Diga qué está desactualizado, para que la cooperativa pueda corregirlo.
outdated-comment-too-long = Un aviso puede tener como mucho { $count } caracteres.
outdated-rate-limited = { $count ->
    [one] Demasiados avisos desde su dirección. Vuelva a intentarlo dentro de un minuto.
   *[other] Demasiados avisos desde su dirección. Vuelva a intentarlo dentro de { $count } minutos.
}
outdated-back = Volver a { $name }
staff-liveness-title = Comprobaciones de sus servicios
staff-unreachable = { $name } no responde a las comprobaciones de este nodo desde el { $date }. Las personas socias lo ven marcado como inaccesible; arregle el servicio o corrija su dirección.
staff-version-mismatch = La ficha indica la versión { $listed }, pero el servicio informa de la versión { $observed }: actualice la ficha (o el servicio).
staff-outdated-title = Avisos de información desactualizada
staff-outdated-item = { $date }: { $comment }
staff-outdated-done = Atendido
done-outdated = El aviso está marcado como atendido.

## Fediscovery (FASP) and privacy
fasp-admin-title = Registros de Fediscovery
fasp-admin-hint = Servidores del fediverso (Mastodon 4.4 y posteriores) que piden a este nodo búsqueda de cuentas y recomendaciones de seguimiento. Para registrarse en un servidor, ejecute «coopdir fasp register https://SERVIDOR» y comunique a la administración del servidor la huella que muestra.
fasp-admin-none = Este nodo no está registrado en ningún servidor.
fasp-col-id = Registro
fasp-col-server = Servidor
fasp-col-status = Estado
fasp-col-fingerprint = Huella de la clave
fasp-col-capabilities = Capacidades activadas
fasp-col-registered = Registrado
fasp-revoke-button = Revocar el registro { $id }
fasp-revoked = El registro está revocado: a partir de ahora se rechazan las peticiones de ese servidor.
fasp-unknown = No existe ese registro.
privacy-title = Privacidad
privacy-lead = Lo que este nodo guarda sobre las personas que lo usan.
privacy-federation = Las cuentas del fediverso que siguen una ficha se almacenan (su dirección y su bandeja de entrada) para que les lleguen los anuncios, hasta que dejan de seguirla.
privacy-fasp-heading = Búsqueda y recomendaciones para servidores del fediverso (Fediscovery)
privacy-fasp = Los servidores registrados en este nodo envían las palabras que buscan sus usuarios y, para las recomendaciones de seguimiento, la dirección de la cuenta que las pide. Ambos datos se usan solo para responder a esa petición: no se almacenan, no se registran y no se transmiten. Solo se devuelven las fichas de este nodo que han aceptado ser encontradas (indexables y descubribles).

## Answers of the directory actor to questions from the fediverse
ask-alternatives = Alternativas compatibles a { $name }, la mejor primero:
ask-alternatives-none = Todavía no conozco ninguna alternativa compatible a { $name }.
ask-matches = { $count ->
    [one] { $count } resultado:
   *[other] { $count } resultados; estos son los primeros:
}
ask-none = No encontré ninguna oferta en el directorio para eso. Pruebe con menos palabras, o con una plataforma como bigbluebutton o jitsi.
## Refusals of the directory (forms and the API say them in the reader's language)
error-unknown-value = { $kind ->
    [platform] plataforma desconocida
    [feature] función desconocida
    [price-model] modelo de precio desconocido
    [price-period] periodo de facturación desconocido
    [registration] tipo de registro desconocido
    [co-op-form] forma de cooperativa desconocida
    [status] estado desconocido
    [announcement-kind] tipo de anuncio desconocido
    [moderation-state] estado de moderación desconocido
    [actor-kind] tipo de actor desconocido
    [delivery-state] estado de entrega desconocido
   *[other] valor desconocido ({ $kind })
} «{ $value }»; se acepta uno de: { $expected }
error-currency = «{ $value }» no es un código de moneda ISO 4217; use tres letras como EUR, GBP o USD
error-country = «{ $value }» no es un código de país ISO 3166-1; use dos letras como DE, FR o GB
error-language = «{ $value }» no es una etiqueta de idioma BCP 47 ({ $reason }); use por ejemplo en, de o pt-BR
error-handle = «{ $value }» no es un nombre de identificador válido; use de 1 a 30 letras minúsculas, dígitos o _ (por ejemplo meetcoop_bbb)
error-name-length = un nombre debe tener de 1 a 100 caracteres en una sola línea; este tiene { $count }
error-summary-length = una descripción puede tener como máximo 5000 caracteres; esta tiene { $count }; acórtela
error-amount = «{ $value }» no es un importe; escriba un número como 9 o 9.50
error-price-no-currency = un importe necesita una moneda; indique por ejemplo EUR
error-price-no-amount = una moneda sin importe; indique un importe como 9.50 o quite la moneda
error-price-free = una oferta gratuita no puede tener importe; quite el importe o cambie el modelo de precio
error-url = «{ $value }» no es una URL ({ $reason }); escríbala completa, por ejemplo https://example.coop/
error-web-url = «{ $value }» no es una dirección web; use una URL https:// de como máximo 2000 caracteres
error-count-range = { $value } está fuera de rango; use un número de 1 a { $max }
error-notice-range = un preaviso de { $value } días está fuera de rango; use de 0 a 3650
error-announce-author = solo las cooperativas y las ofertas publican anuncios
error-translation-default = «{ $tag }» es el idioma predeterminado de este nodo; dé ese texto como texto principal
error-translation-unoffered = «{ $tag }» no es un idioma de la interfaz ni uno que ofrezca esta oferta; use uno de: { $offered }
error-translation-twice = el texto en «{ $tag }» se da dos veces
error-announce-empty = el texto del anuncio está vacío; escriba lo que los miembros deben saber
error-announce-too-long = el anuncio tiene { $count } caracteres; se permiten como máximo { $max }
error-announcement-unknown = no hay ningún anuncio { $url } en este nodo
error-announcement-not-local = { $url } no es un anuncio de este nodo
error-sunset-not-local = @{ $handle } no es una cooperativa ni una oferta de este nodo; solo estas pueden cerrar
error-sunset-already = @{ $handle } ya está en cierre: { $end } es su último día de servicio. Un cierre puede aplazarse a una fecha posterior o cancelarse (--cancel)
error-sunset-not-active = @{ $handle } está { $status ->
    [sunsetting] en cierre
    [closed] cerrada
    [transferred] transferida
   *[other] { $status }
}; solo una oferta activa puede iniciar un cierre
error-note-too-long = la nota tiene más de 2000 caracteres; límitese a lo que los miembros necesitan saber
error-sunset-notice = { $name } prometió un preaviso de { $notice } días antes de cerrar; el último día de servicio, { $end }, está a { $days } días. Elija el { $earliest } o una fecha posterior.
error-sunset-past = el último día de servicio, { $end }, ya pasó; elija una fecha posterior
error-sunset-none = @{ $handle } está { $status ->
    [active] activa
    [closed] cerrada
    [transferred] transferida
   *[other] { $status }
}, no en cierre; no hay ningún cierre que cancelar
error-transfer-pending = @{ $handle } ya tiene una propuesta de transferencia pendiente ({ $id }) a { $successor }; espere su respuesta o su vencimiento el { $expires }
error-transfer-self = una oferta no puede transferirse a sí misma
error-successor-moved = el sucesor { $successor } ha cerrado o se ha mudado
error-successor-unlisted = el sucesor { $successor } no figura en este nodo
error-successor-offering = una cooperativa se traspasa a otra cooperativa; { $successor } es una oferta (nombre sus ofertas con --map ANTIGUA=NUEVA)
error-transfer-not-local = @{ $handle } no es una cooperativa ni una oferta de este nodo; solo estas pueden transferirse
error-transfer-done = @{ $handle } ya se transfirió a { $successor }; una oferta se transfiere una sola vez
error-transfer-closed = @{ $handle } está cerrada y no puede transferirse
error-proposal-unknown = no hay ninguna propuesta de transferencia { $id }; `coopdir transfers` las lista
error-proposal-elsewhere = la propuesta { $id } está dirigida a { $successor }, que no está en este nodo; se responde allí
error-proposal-expired = la propuesta { $id } venció el { $date } sin respuesta; la otra cooperativa puede proponerla de nuevo
error-proposal-answered = la propuesta { $id } ya fue respondida: está { $state }
error-proposal-answered-by = la propuesta { $id } ya fue respondida: está { $state } (por { $by })
error-proposal-not-yours = la propuesta { $id } está dirigida a { $successor }; solo el equipo de esa cooperativa puede responderla, no { $username }
error-handle-elsewhere = «{ $handle }» no está en este nodo ({ $domain }); dé un identificador como nombre@{ $domain }
error-handle-removed = «{ $handle }» se retiró de este nodo
error-handle-unknown = no hay ninguna cooperativa ni oferta «{ $handle }» en este nodo; importe primero una ficha con `coopdir import`
error-not-local-offering = { $id } no es una oferta de este nodo
error-offering-removed = { $id } se retiró y ya no puede editarse
error-handle-fixed = el identificador de { $id } no puede cambiar: forma parte de la identidad del actor
error-password-short = la contraseña debe tener al menos { $min } caracteres; unas cuantas palabras al azar forman una buena
error-domain-invalid = «{ $value }» no es un dominio; indique un dominio como evil.example (sus subdominios se incluyen), opcionalmente con un puerto (localhost:8081), o una URL de ese dominio
error-domain-name = «{ $value }» no es un nombre de dominio
error-domain-own = { $domain } es el dominio de este nodo (o uno superior); no se puede bloquear
error-domain-not-blocked = { $domain } no está bloqueado; `coopdir domains` lista los bloqueos
error-domain-already-allowed = { $domain } ya está permitido
error-domain-not-allowed = { $domain } no está en la lista de permitidos
error-actor-gone = { $id } ya no existe
error-actor-unknown = aquí no se conoce ningún actor «{ $target }»; indique nombre@dominio o la URL del actor
error-actor-url = «{ $target }»: { $reason }
error-moderate-instance = el actor de la instancia no es una ficha y no se puede moderar
error-moderation-state = { $id } está en el estado «{ $state }», que la moderación no cambia
error-moderation-already = { $id } ya está { $state ->
        [pending] pendiente de aprobación
        [hidden] oculta
        [suspended] suspendida
        [removed] retirada por su cooperativa
       *[approved] aprobada
    }
error-moderation-from = { $id } está { $state ->
        [pending] pendiente de aprobación
        [hidden] oculta
        [suspended] suspendida
        [removed] retirada por su cooperativa
       *[approved] aprobada
    }; «{ $action }» solo se aplica a fichas que están { $allowed ->
        [pending-hidden] pendientes u ocultas
        [pending-approved] pendientes o aprobadas
        [hidden-suspended] ocultas o suspendidas
       *[pending-approved-hidden] pendientes, aprobadas u ocultas
    }
error-report-unknown = no hay ninguna denuncia { $id }; `coopdir reports` las lista
error-report-resolved = la denuncia { $id } ya se resolvió ({ $resolution })
error-report-actor-gone = el actor de la denuncia { $id } ({ $actor }) ya no está guardado; descarte la denuncia
error-report-forwarded = la denuncia { $id } ya se reenvió
error-report-forward-gone = el actor de la denuncia { $id } ya no está guardado
error-report-local = la denuncia { $id } trata de { $actor }, una ficha de este nodo; solo se reenvían las denuncias sobre actores remotos
error-report-forward-refused = no se puede reenviar la denuncia { $id }: { $reason }
error-alternative-unknown = --alternative { $handle }: aquí no figura ninguna oferta con ese nombre; indique el nombre nombre@dominio de una oferta publicada
error-alternative-own = --alternative { $handle }: es uno de los servicios que cierran; indique la oferta de otra cooperativa
error-alternative-inactive = --alternative { $handle }: está { $status ->
        [sunsetting] en cierre
        [closed] cerrada
        [transferred] transferida
       *[active] activa
    } o su cooperativa cierra; indique una oferta activa
error-api-no-token = este punto de acceso necesita un token de API: envíe `Authorization: Bearer <token>`; un administrador de este nodo crea uno con `coopdir token create USERNAME --name NAME` (véase docs/api.md)
error-api-bearer = la cabecera Authorization debe ser `Bearer <token>` con un token de API; un administrador de este nodo crea uno con `coopdir token create USERNAME --name NAME` (véase docs/api.md)
error-api-token-invalid = este token de API no es válido: desconocido, revocado o mal escrito; un administrador de este nodo crea uno con `coopdir token create USERNAME --name NAME` (véase docs/api.md)
error-api-no-listing = este nodo no tiene ninguna cooperativa ni oferta «{ $username }»; GET /api/v1/me lista las fichas que este token puede gestionar
error-api-not-allowed = la cuenta del token no puede actuar sobre la ficha { $handle }: { $reason }
error-api-not-object = el cuerpo de la petición debe ser un objeto JSON
error-api-limit = «{ $value }» no es un número del 1 al { $max }
error-api-note-long = más de { $max } caracteres; limítese a lo que los miembros necesitan saber
error-api-alternatives-many = { $max } como máximo; indique las pocas que mejor convienen a los miembros
error-api-end-required = el último día de servicio es obligatorio, como AAAA-MM-DD (o "cancel": true para anular un cierre)
error-api-proposal-id = { $reason }; indique el número de una propuesta, como lo lista GET /api/v1/transfers
error-api-proposal-staff = solo el equipo de la cooperativa de { $successor } responde a la propuesta { $id }: { $reason }
error-api-reason-long = más de { $max } caracteres; diga brevemente por qué
error-api-not-under = { $id } no está bajo un anuncio de { $listing }
error-api-kind-action = los anuncios «{ $kind }» los escribe la acción { $kind }; elija uno de: { $accepted }
error-api-kind-unknown = tipo de anuncio desconocido «{ $kind }»; se espera uno de: { $accepted }
error-successor-url = «{ $value }» no es una URL: { $reason }
error-successor-unresolved = no se puede resolver el sucesor { $successor }: { $reason }; compruebe el nombre o la URL
error-successor-gone = el sucesor ya no existe
error-proposal-origin-unknown = el actor que propone, { $id }, es desconocido aquí; puede que se haya eliminado
error-peer-address = «{ $value }» no es ni un dominio ni una URL ({ $reason })
error-peer-not-http = «{ $value }» no es una dirección http(s)
error-peer-not-https = «{ $value }» no usa https; los pares se contactan por https
error-peer-itself = un nodo no puede emparejarse consigo mismo
error-peer-not-coopdir = { $domain } no parece un nodo coopdir: { $reason }
error-peer-no-nodeinfo = { $domain } no publica NodeInfo 2.x
error-peer-nodeinfo-elsewhere = su NodeInfo está en otro host
error-peer-software = { $domain } ejecuta { $software }, no coopdir; solo los nodos coopdir pueden ser pares
error-peer-instance-long = la URL de su actor de instancia supera los { $max } bytes
error-peer-instance-elsewhere = su actor de instancia está en otro host

## Who may act on a listing; the successor and hand-over map of a transfer
error-not-allowed-remote = { $listing } es una ficha de otro nodo; solo puede cambiarse allí
error-not-allowed-no-coop = la cuenta de equipo «{ $username }» no pertenece a ninguna cooperativa
error-not-allowed-other-coop = «{ $username }» es del equipo de otra cooperativa y no puede actuar sobre { $listing }
error-not-allowed-role = la cuenta «{ $username }» no tiene ningún rol que lo permita
error-staff-not-coop = { $id } no es una cooperativa de este nodo; las cuentas de equipo pertenecen a una cooperativa local
error-account-exists = ya existe una cuenta «{ $username }»
error-successor-empty = indique el sucesor: su identificador nombre@dominio o la URL de su actor
error-successor-not-url = «{ $value }» no es una URL ({ $reason }); indique el sucesor: su identificador nombre@dominio o la URL de su actor
error-successor-shape = «{ $value }» no es ni la URL de un actor ni un identificador; indique el sucesor: su identificador nombre@dominio o la URL de su actor
error-successor-not-here = no hay ninguna cooperativa ni oferta { $successor } en este nodo
error-successor-no-alias = el sucesor { $successor } no incluye { $origin } en alsoKnownAs, así que los servidores de los seguidores rechazarían el traslado. Pida a la otra cooperativa que lo añada: en Mastodon, añada un alias de cuenta en Preferencias › Cuenta › Mudarse desde otra cuenta. Después vuelva a transferir.
error-map-not-coop = --map se aplica al traspaso de una cooperativa entera; indique el identificador de una cooperativa para transferirla
error-map-pair = --map «{ $pair }» no tiene la forma ANTIGUA=NUEVA; p. ej. --map bbb@{ $domain }=rooms@other.example
error-map-old = --map { $pair }: { $old } no es una oferta de { $coop }; asigne solo las ofertas propias de la cooperativa
error-map-new = --map { $pair }: { $new } no es una oferta del sucesor { $successor }; asigne a sus propias ofertas
error-map-elsewhere = --map { $pair }: { $new } no está en el nodo del sucesor; asigne a sus propias ofertas
error-api-map-many = como mucho { $max } pares ANTIGUA=NUEVA
error-api-map-pair = «{ $pair }» no tiene la forma ANTIGUA=NUEVA, p. ej. "bbb=rooms@other.example"
error-api-transfer-confirm = una transferencia traslada a todos los seguidores y no se puede deshacer; envíe "confirm": true (o "preview": true para verla antes)
error-api-end-date = «{ $value }» no es una fecha del 2000-01-01 al 2999-12-31; indique el último día de servicio como AAAA-MM-DD
error-api-proposal-gone = la propuesta { $id } ya no existe

## Refusals of the API's own checks, replies, imports, feeds and exports
error-api-coop-not-offering = { $handle } es una cooperativa, no una oferta; este punto de acceso se aplica a ofertas
error-api-bad-query = consulta incorrecta: { $reason }
error-api-not-json = el cuerpo de la petición no es JSON ({ $reason }); envíe un objeto JSON con `Content-Type: application/json`
error-api-no-offering = este nodo no lista ninguna oferta «{ $username }»
error-not-listed-here = no hay ninguna cooperativa ni oferta listada «{ $username }» en este nodo
error-no-listing-here = no hay ninguna cooperativa ni oferta «{ $username }» en este nodo
error-report-not-open = { $username } no tiene ninguna denuncia abierta { $id }
error-filter-many = se aceptan como mucho { $max } valores; se dieron { $given }
error-filter-working = «{ $value }» no se acepta; use working=true (u omítalo)
error-answer-target = { $url } no es ni un anuncio de este nodo ni una respuesta bajo uno; indique la URL del anuncio o de la respuesta que aparece en su página
error-answer-hidden = { $url } está oculta por la moderación; no se puede responder
error-answer-empty = la respuesta está vacía; escriba lo que el miembro debe saber
error-answer-long = la respuesta tiene { $count } caracteres; se permiten como mucho { $max }
error-reply-unknown = no hay ninguna respuesta { $url } en este nodo
error-reply-announcement-gone = el anuncio de { $url } ya no existe
error-reply-not-here = { $url } no está bajo un anuncio de este nodo
error-pin-member = { $url } es la respuesta de un miembro; solo se pueden fijar las respuestas de la cooperativa
error-hide-reason = indique un motivo: se guarda en el registro de moderación
error-handle-other-coop = el identificador «{ $handle }» ya pertenece a otra cooperativa o al nodo; elija otro identificador
error-handle-taken = «{ $handle }» ya está ocupado en este nodo (por { $kind ->
        [instance] el actor de la instancia
        [coop] la cooperativa
        [offering] la oferta
        [group] el grupo de categorías
        [person] la persona
       *[remote] el actor remoto
    }); elija otro identificador
error-handle-retired = «{ $handle }» se eliminó; se avisó a sus seguidores de que ya no existe, así que el identificador no se vuelve a usar. Elija otro identificador.
error-alternatives-unknown = este directorio no conoce ninguna oferta { $target }; indique la URL de actor de una oferta listada
error-export-not-coop = { $handle } no es una cooperativa listada de este nodo; la exportación toma el identificador de una cooperativa
error-no-such-offering = este nodo no lista esa oferta
error-no-such-announcement = este nodo no tiene ese anuncio
error-api-actor-required = el parámetro de consulta `actor` es obligatorio: indique la URL de actor de una oferta, p. ej. /api/v1/offerings/alternatives?actor=https://node.example/actors/name
error-api-aka-fixed = los actores anteriores de una oferta se fijan con una transferencia hacia ella, no se editan; omita el campo o envíelo sin cambios
error-filter-not-stated = not-stated no es un valor de filtro: las fichas cuya fuente no indica precio ni registro no coinciden con ningún filtro de precio o de registro; omita el filtro
error-page-zero = los números de página empiezan en 1
error-page-not-number = «{ $value }» no es un número de página
error-offering-ref-url = «{ $value }» no es una URL ({ $reason }); indique la URL de actor de una oferta, p. ej. https://node.example/actors/name, o su identificador nombre@node.example
error-offering-ref = «{ $value }» no es ni la URL de un actor ni un identificador; indique la URL de actor de una oferta, p. ej. https://node.example/actors/name, o su identificador nombre@node.example
