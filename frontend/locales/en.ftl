# coopdir web interface — English.
# Fluent syntax: https://projectfluent.org/fluent/guide/
# Every string the templates show is here; a translation is a copy of this file with the
# same message ids.

## Frame
skip-to-content = Skip to content
site-tagline = a directory of co-operative service providers
nav-label = Main
nav-directory = Directory
nav-about = About
nav-staff = Your listings
nav-admin = Moderation
nav-login = Log in
nav-logout = Log out ({ $user })
footer-software = Powered by coopdir, free software under the AGPL
footer-api = API
back-to-directory = Back to the directory
lang-label = Language of the pages
lang-unknown = This directory speaks English, French, German and Spanish; choose one of them.

## Errors
error-title = Something went wrong
error-internal = Internal error; the node's log has the details.
error-not-found = Not found
error-forbidden = Not allowed
error-gone = Gone
error-invalid = Cannot do that
error-no-actor = There is no co-op or offering “{ $name }” on this node.
error-removed = This listing was removed by its co-op.
error-suspended = This listing is suspended.
error-no-announcement = There is no such announcement.
error-withdrawn = This announcement was withdrawn.
error-not-offering = Only offerings have this form.
error-no-page = There is no page at this address. It may have moved, or the link may be mistyped.
error-summary-title = There is a problem
form-has-errors = Some fields need a correction; see the messages next to them.

## Directory
directory-title = Find a co-operative provider
directory-lead = Video conferencing and other services run by co-operatives, on this node and the nodes it peers with. The order is fair: it changes every day and never depends on popularity.
search-title = Search: { $query }
search-label = Search
search-placeholder = e.g. bigbluebutton german recording
search-button = Search
search-too-long = A search may have at most { $max } characters; this one has { $count }. Use fewer words, or the filters.
search-understood = Searched as:
search-understood-remove = Search without:
search-relax = Searches with fewer words
search-without = Without { $part }
filters-title = Filters
skip-to-results = Skip to results
filters-show = Show filters
filters-active = Active filters
filters-clear = Clear all filters
filter-remove = Remove filter:
filter-selected = selected; choose again to remove
facet-platform = Platform
facet-feature = Features
facet-language = Language
facet-country = Country
facet-price = Price
facet-registration = Registration
facet-form = Co-op form
facet-status = Status
offerings-count = { $count ->
    [one] 1 offering
   *[other] { $count } offerings
}
no-results = No offering matches. Remove a filter or try other words.
listing-remote = from a peer
compare-pick = Compare
compare-selected = Compare selected
compare-hint = Choose two to four offerings.
follow-link = Follow
pages-label = Pages
page-prev = Previous
page-next = Next

group-invite-title = Follow every video-conferencing provider
group-invite-lead = One follow of { $name } brings you the announcements of every provider listed here, new ones included:
group-invite-button = Follow them all
group-invite-page = What it boosts
follow-receive = What you will receive: the announcements of news, maintenance, price changes and closures, in your home timeline. Nothing else, and you can unfollow at any time.

## Actor pages
feed-title = { $name }: announcements
feed-link = Atom feed
handle-label = Follow from the fediverse:
copy = Copy
copied = Copied
followers-count = { $count ->
    [one] 1 follower
   *[other] { $count } followers
}
manage-link = Manage
not-listed = This listing is not shown in the directory at the moment.
follow-instance-label = Your instance
follow-instance-placeholder = e.g. mastodon.social
follow-button = Follow
follow-hint = Your own server asks you to confirm the follow. You can also search for the handle in your app.
offered-by = Offered by
attributes-title = At a glance
sunset-notice = This service is closing: { $date } is its last day of service.
see-alternatives = See compatible alternatives.
transferred-to = It is now provided by
follow-successor = Follow the successor
lifecycle-alternatives = Compatible alternatives you can follow and move to:
alternatives-title = Compatible alternatives
alternatives-none = No compatible alternative is listed yet.
alternatives-lead = Ranked by how well they match this offering, never by popularity.
alternative-favour = In favour:
alternative-drawbacks = Drawbacks:
compare-with-alternatives = Compare side by side
announcements-title = Announcements
announcement-heading = { $kind } from { $name }
announcements-none = No announcements yet.
coop-about-title = About the co-op
coop-offerings-title = Offerings
coop-offerings-none = This co-op lists no offering yet.

report-link = Report this listing
report-title = Report { $name }
report-lead = Tell the admins of this node what is wrong with this listing: a false claim, a closed service still listed, abuse. They decide with a reason, published in the moderation log; your report stays private and anonymous.
report-comment = What is wrong
report-comment-hint = At most 2,000 characters. Do not write personal data.
report-button = Send the report
report-comment-missing = Say what is wrong with the listing.
report-too-many = This listing has been reported many times and the admins have not decided yet; they will look at it.
report-done = Thank you. The admins of this node will look at your report.

## Attributes
attr-platform = Platform
attr-features = Features
attr-participants = Participants per room
attr-rooms = Concurrent rooms
attr-price = Price
attr-languages = Interface languages
attr-support-languages = Support languages
attr-jurisdiction = Jurisdiction
attr-data-location = Data stored in
attr-registration = Registration
attr-coop = Co-op
attr-free-software = Free software
attr-notice = Notice before closing
attr-status = Status
attr-successor = Successor
attr-homepage = Website
attr-signup = Sign up
attr-funding = Funding or membership
attr-form = Co-op form
attr-country = Country
attr-website = Website
yes = yes
no = no
days = { $count ->
    [one] 1 day
   *[other] { $count } days
}
status-sunsetting-until = sunsetting, last day of service { $date }

## Compare
compare-title = Compare offerings
compare-lead = Rows whose values differ are marked.
compare-caption = { $count } offerings side by side
compare-differs = values differ
compare-differs-key = Marked rows differ between the offerings.
compare-remove = Remove
compare-add-title = Add an offering to the comparison
compare-add = Add
compare-back = Back to the directory to choose offerings
compare-count = Choose at least { $min } and at most { $max } offerings to compare.
compare-given = { $count ->
    [one] 1 was given.
   *[other] { $count } were given.
}
compare-unknown = This directory lists no offering “{ $actor }”.

## Follow
follow-title = Follow { $name }
follow-lead = Type the domain of your fediverse server (Mastodon or another); you will confirm the follow there.
follow-unknown = This directory lists no such co-op or offering.
follow-instance-missing = Type the domain of your instance, such as mastodon.social.
follow-instance-invalid = “{ $input }” is not the domain of a server. Type only the domain, such as mastodon.social (or your handle, such as @you@mastodon.social).

## About
about-title = About
about-heading = About { $name }
about-lead = This coopdir node at { $domain } lists co-operative service providers and shows the listings of the nodes it peers with.
about-coops = { $count ->
    [one] 1 co-op publishes here
   *[other] { $count } co-ops publish here
}
about-offerings = { $count ->
    [one] 1 offering of this node
   *[other] { $count } offerings of this node
}
about-remote-offerings = { $count ->
    [one] 1 offering from peers
   *[other] { $count } offerings from peers
}
about-charter = Charter
about-charter-none = This node has not published a charter yet.
about-peers = Peers
about-peers-none = This node does not peer with other nodes yet.
about-peer-domain = Node
about-peer-synced = Last synchronised
about-ask = Ask the directory
about-ask-lead = Mention the directory from your fediverse account with what you look for, such as “bigbluebutton german recording”, or “alternatives to” a handle:

## Login
login-title = Log in
login-lead = For co-op staff and the admins of this node.
login-username = Username
login-password = Password
login-button = Log in
login-username-missing = Type your username.
login-password-missing = Type your password.
login-failed = Wrong username or password.
login-rate-limited = { $count ->
    [one] Too many failed attempts. Try again in a minute.
   *[other] Too many failed attempts. Try again in { $count } minutes.
}

## Staff
staff-title = Your listings
staff-lead = Logged in as { $user } ({ $role }).
staff-listings = Listings you manage
staff-listings-none = This account manages no listing.
staff-col-name = Name
staff-col-kind = Kind
staff-col-status = Status
staff-col-moderation = Moderation
staff-col-followers = Followers
staff-public-page = public page
queue-title = Deliveries of this node
queue-pending = Waiting
queue-delivered = Delivered
queue-failed = Given up
queue-rejected = Refused by the receiver
queue-unavailable = Servers marked unavailable
manage-title = Manage { $name }
manage-sections = On this page
manage-deliveries = Deliveries of this listing
manage-deliveries-counts = { $delivered } delivered, { $pending } waiting
manage-deliveries-failed = { $failed } given up, { $rejected } refused
done-edit = Saved. Followers receive the update.
done-announce = Posted. Followers receive the announcement.
done-sunset = The sunset has started. Followers were told and will be reminded.
done-transfer = Transferred. Followers are moving to the successor.
done-transfer-proposed = Proposed. Nothing moves until the successor's co-op accepts; its answer appears below.
done-transfer-accepted = Accepted. The followers are moving to you.
done-transfer-declined = Declined. Nothing changes, and the proposing co-op is told why.
done-sunset-cancelled = The sunset is cancelled. Followers were told.

announce-title = Post an announcement
announce-lead = Sent to every follower and shown on the public page. Blank lines separate paragraphs; #hashtags become links.
announce-kind = Kind
announce-text = Text
announce-button = Post
announce-languages = In other languages (optional)
announce-languages-lead = Members read the text in their own language when it is given here; the text above is the one in the node's default language.
announce-other-lang = Another language (a tag such as it or pt-BR, one the listing offers)
announce-other-text = Text in that language
announce-kind-invalid = Choose one of the kinds listed.

edit-title = Edit the offering
edit-lead = Changes are published at once and sent to followers as an update.
edit-name = Name
edit-summary = Description
edit-platform-version = Platform version
edit-price-model = Model
edit-price-amount = Amount
edit-price-currency = Currency (e.g. EUR)
edit-price-period = Per
edit-languages-hint = Choose each language; hold Ctrl (⌘ on a Mac) to choose more than one.
edit-country-hint = The country whose law applies, if any.
edit-countries-hint = Choose each country; hold Ctrl (⌘ on a Mac) to choose more than one.
edit-notice-days = Days of notice before closing
edit-not-a-number = Write a whole number.
edit-too-many = { $count ->
    [one] At most 1 value is allowed.
   *[other] At most { $count } values are allowed.
}
edit-button = Save changes

sunset-title = Start a sunset
sunset-lead = Followers are told now and reminded 30 and 7 days before the last day of service; the service closes the day after it. For a co-op, every active offering sunsets with it. The earliest last day of service your promised notice allows is { $date }.
sunset-end = Last day of service
sunset-button = Start the sunset
sunset-postpone-title = Postpone or cancel the sunset
sunset-postpone-lead = Choose a later last day of service ({ $date } or later); followers are told and the reminders follow the new date. Or call the sunset off.
sunset-postpone-button = Postpone the sunset
sunset-cancel-button = Cancel the sunset
sunset-alternatives = Alternatives to name first
sunset-alternatives-hint = Handles (name@domain) of offerings of other co-ops, separated by spaces; the ranked alternatives follow them.
lifecycle-note = Note for members
lifecycle-note-hint = How to export recordings, until when accounts stay readable, whom to ask. It goes into the announcements and onto the listing's page.
preview-button = Preview
preview-title = Preview: nothing was written or sent
sunset-date-invalid = Choose a date (YYYY-MM-DD).

transfer-title = Transfer to a successor
transfer-lead = Within your co-op the move happens at once. Another co-op gets a proposal and must accept it first (on another coopdir node, through a federated offer); nothing moves until then. A successor outside coopdir (a Mastodon account) must list this actor as an earlier account. Followers' servers then follow the successor by themselves.
transfer-to = Successor
transfer-to-hint = Its handle (name@domain) or actor URL.
transfer-to-missing = Name the successor.
transfer-confirm = I understand that every follower is moved and that a transfer cannot be undone.
transfer-confirm-missing = Confirm that followers are to be moved.
transfer-button = Transfer
transfer-note-hint = For the other co-op and for members: what happens to accounts and recordings, whom to ask.
transfer-preview-consent = The successor belongs to another co-op: it must accept before anything moves.
transfer-preview-now = The move would happen at once.
proposals-title = Transfer proposals
staff-awaiting = Transfer proposals waiting for your answer
proposals-lead = Proposals to hand a service over between co-ops, in and out, with their history. Nothing moves until the successor's co-op accepts.
proposal-heading = Proposal { $id }
proposal-state = State
proposal-expires = expires on { $date } without an answer
proposal-reason = Reason
proposal-changes = What changes for members:
proposal-accept-hint = Accepting lists the proposing actor as an earlier account of yours and moves its followers to you. It cannot be undone.
proposal-accept = Accept the transfer
proposal-decline = Decline

## Vocabularies
platform-bigbluebutton = BigBlueButton
platform-jitsi = Jitsi Meet
platform-galene = Galène
platform-nextcloud-talk = Nextcloud Talk
platform-matrix = Matrix / Element Call
platform-opentalk = OpenTalk
platform-other = Other
feature-recording = recording
feature-breakout-rooms = breakout rooms
feature-shared-notes = shared notes
feature-whiteboard = whiteboard
feature-polls = polls
feature-dial-in = dial-in by phone
feature-streaming = live streaming
feature-e2ee = end-to-end encryption
feature-captions = captions
feature-lti = LTI / Moodle
feature-nextcloud = Nextcloud integration
feature-screen-sharing = screen sharing
feature-chat = chat
price-free = free
price-pay-what-you-can = pay what you can
price-membership = membership
price-subscription = subscription
price-not-stated = not stated
period-month = month
period-year = year
period-once = one-off
period-event = event
registration-open = open
registration-members-only = members only
registration-waitlist = waitlist
registration-closed = closed
registration-not-stated = not stated
form-worker = worker co-op
form-consumer = consumer co-op
form-multi-stakeholder = multi-stakeholder co-op
form-federation-member = member of a co-op federation
form-platform = platform co-op
form-other = other co-operative form
status-active = active
status-sunsetting = sunsetting
status-closed = closed
status-transferred = transferred
kind-news = news
kind-maintenance = maintenance
kind-price = price change
kind-capacity = capacity change
kind-sunset = sunset
kind-transfer = transfer
moderation-pending = pending approval
moderation-approved = listed
moderation-hidden = hidden
moderation-suspended = suspended
moderation-removed = removed
actor-instance = instance actor
actor-coop = co-op
actor-offering = offering
actor-group = category group
actor-person = person
actor-remote = remote actor
role-admin = admin
role-staff = co-op staff

## Admin pages (/admin…) and the public moderation log (/moderation)
admin-forbidden = Only admins of this node may open the moderation pages.
admin-title = Moderation
admin-nav-label = Moderation pages
admin-nav-overview = Overview
admin-nav-queue = Approval queue
admin-nav-reports = Reports
admin-nav-domains = Domains
admin-nav-log = Log
admin-nav-fasp = Fediscovery
admin-nav-public = Public log
admin-count-pending = { $count ->
    [one] listing waits for approval
   *[other] listings wait for approval
}
admin-count-reports = { $count ->
    [one] open report
   *[other] open reports
}
admin-count-blocked = { $count ->
    [one] blocked domain
   *[other] blocked domains
}
admin-count-allowed = { $count ->
    [one] allowed domain (allowlist mode)
   *[other] allowed domains (allowlist mode)
}
admin-overview-hint = Every decision taken here is written to the moderation log with your name and the reason; decisions about listings are also shown on the public moderation page, without names.
admin-done-approve = Approved: the listing is in the directory.
admin-done-hide = Hidden: the listing is out of the directory and keeps federating.
admin-done-suspend = Suspended: the listing is out of the directory and stops federating.
admin-done-restore = Restored: the listing is in the directory again.
admin-done-resolve = The report is resolved.
admin-done-forward = The report was sent to the listing's home node.
admin-done-block = The domain is blocked; its stored listings were updated.
admin-done-unblock = The block is lifted; listings it hid or suspended are back.
admin-done-allow = The domain is on the allowlist.
admin-done-disallow = The domain is off the allowlist.
admin-page-invalid = The page must be a number from 1.
admin-queue-title = Approval queue
admin-queue-pending = { $count ->
    [one] One listing waits for approval
   *[other] { $count } listings wait for approval
}
admin-queue-hint = New listings wait here when the node requires approval (require-approval remote or all). Approve lists them; hide or suspend keeps them out, with a reason.
admin-queue-empty = No listing waits for approval.
admin-col-listing = Listing
admin-col-state = State
admin-col-decide = Decision
admin-local = this node
admin-remote = from another node
admin-since = known since { $date }
admin-no-actions = No decision applies to a removed listing.
admin-action = Action
admin-action-approve = approve
admin-action-hide = hide
admin-action-suspend = suspend
admin-action-restore = restore
admin-reason = Reason
admin-act-button = Decide
admin-action-invalid = Choose approve, hide, suspend or restore.
admin-reason-missing = Give a reason; it goes into the moderation log and onto the public moderation page.
admin-text-too-long = At most { $count } characters.
admin-target-missing = Choose a listing: there is no such listing on this node.
admin-not-listing = Only co-ops and offerings are moderated here.
admin-find-title = Find any listing
admin-find-label = Name, handle or actor URL
admin-find-button = Find
admin-find-hint = Local and remote co-ops and offerings in every state, e.g. “meet”, “name@domain” or https://example.org/actors/name.
admin-find-none = No listing matches “{ $q }”.
admin-find-results = { $count ->
    [one] One listing found
   *[other] { $count } listings found
}
admin-reports-title = Reports
admin-reports-hint = Open reports, newest first: from other servers (Flag activities) or filed on this node. Dismiss leaves the listing as it is; hide or suspend decides about it. Resolved reports are in the log.
admin-reports-none = No report is open.
admin-report-heading = Report { $id } about { $target }
admin-report-received = Received
admin-report-reporter = Reported by
admin-report-filed-here = filed on this node
admin-report-target = Reported listing
admin-report-posts = Reported posts
admin-report-no-posts = none named
admin-report-comment = Comment
admin-report-no-comment = no comment
admin-report-forwarded = Forwarded
admin-target-gone = no longer stored
admin-resolution = Resolve by
admin-resolution-dismiss = dismissing the report
admin-resolution-hide = hiding the listing
admin-resolution-suspend = suspending the listing
admin-resolution-missing = Choose how to resolve the report.
admin-note = Note
admin-resolve-button = Resolve
admin-forward-hint = The listing belongs to another node: its admins can act on it there. Forwarding sends them this report from this node (not from the reporter).
admin-forward-button = Forward to its home node
admin-no-report = There is no report { $id }.
admin-domains-title = Domains
admin-domains-hint = A block covers the domain and its subdomains. Reject refuses every exchange with it and suspends its listings here; hide keeps federating and keeps its listings out of the directory.
admin-blocks = Blocked domains
admin-blocks-none = No domain is blocked.
admin-col-domain = Domain
admin-col-severity = Severity
admin-col-reason = Reason
admin-col-by = By
admin-col-remove = Remove
admin-severity-reject = reject
admin-severity-hide = hide
admin-unblock-button = Lift the block of { $domain }
admin-block-title = Block a domain
admin-block-hint = Blocking a domain that is already blocked changes its severity and reason.
admin-domain = Domain
admin-domain-missing = Give a domain, such as evil.example.
admin-severity-invalid = Choose reject or hide.
admin-block-button = Block
admin-allows = Allowlist
admin-allows-hint = This node federates in allowlist mode: only with these domains and their subdomains (and never with blocked ones).
admin-allows-inactive = This node federates with every domain not blocked; the allowlist applies only in allowlist mode (--federation-mode allowlist).
admin-allows-none = No domain is allowed yet.
admin-disallow-button = Remove { $domain } from the allowlist
admin-allow-button = Allow
admin-log-title = Moderation log
admin-log-count = { $count ->
    [one] One entry
   *[other] { $count } entries
}
admin-log-none = Nothing was decided yet.
admin-col-when = When
admin-col-action = Decision
admin-col-target = About
admin-col-change = Change
admin-log-report = report { $id }
admin-log-pages = Pages of the log
admin-log-newer = Newer
admin-log-older = Older
admin-log-page = Page { $page } of { $pages }
admin-log-action-approve = approved
admin-log-action-hide = hidden
admin-log-action-suspend = suspended
admin-log-action-restore = restored
admin-log-action-domain-block = domain blocked
admin-log-action-domain-unblock = domain block lifted
admin-log-action-block = domain block
admin-log-action-unblock = domain unblock
admin-log-action-allow = allowlist: added
admin-log-action-disallow = allowlist: removed
admin-log-action-report-dismiss = report dismissed
public-log-title = Moderation decisions
public-log-lead = What the admins of { $name } decided about listings in this directory, when and why, newest first.
public-log-privacy = Who took a decision is not shown: decisions are the node's, and naming the volunteers who take them invites harassment.
public-log-none = No decision about a listing was taken yet.
about-moderation = Moderation
about-moderation-lead = Listings can be held for approval, hidden or suspended; every such decision is published with its reason.
about-moderation-link = Moderation decisions

## Replies under announcements
replies-title = Questions and replies
replies-lead = Reply to this announcement from your fediverse account; public and unlisted replies appear here.
replies-none = No replies yet.
replies-feed = Feed of this thread
replies-feed-title = Replies to this announcement
replies-faq-title = Answered questions
replies-count = { $count ->
    [one] 1 reply
   *[other] { $count } replies
}
reply-coop-answer = Answer of the co-op
reply-pinned = Pinned
reply-hidden = Hidden by moderation
reply-unanswered = Not answered yet
reply-visibility-followers = Followers only: shown to staff only
reply-visibility-direct = Direct: shown to staff only
reply-answer = Answer
reply-answer-text = Answer
reply-answer-pin = Pin into the announcement
reply-answer-send = Send the answer
reply-follow-up = Add to the thread
reply-hide = Hide
reply-hide-reason = Reason (kept in the moderation log)
reply-pin = Pin into the announcement
reply-unpin = Unpin
reply-report = Report
reply-report-comment = What is wrong with it?
error-no-reply = There is no such reply.
done-answer = Answered. The member and the followers receive the answer.
done-reply-hidden = Hidden. The reason is in the moderation log.
done-reply-pinned = Done.
done-reply-reported = Thank you; the admins will look at the report.
questions-title = Questions waiting for an answer
questions-none = No question is waiting.
admin-replies-title = Replies
admin-replies-none = No replies received yet.
admin-nav-replies = Replies
reply-visibility-public = Public
reply-visibility-unlisted = Unlisted
staff-col-questions = Questions waiting
## Liveness: what the node's probes found about a listed service
attr-service-url = Service address
edit-service-url-hint = The base address of the running service (e.g. https://bbb.example.coop/), not its homepage. This node checks that it answers every 15 minutes.
edit-probe = Let this node check that the service answers
liveness-title = Is it working?
liveness-up = Up
liveness-down = Down
liveness-refused = Not checked: this node refuses to connect to its address
liveness-not-yet = Not checked yet
liveness-not-probed = Not checked: the co-op gave no service address, or turned checks off.
liveness-unreachable = Unreachable
liveness-unreachable-since = the service has not answered since { $date }
liveness-checked = checked { $ago }
liveness-ago-minutes = { $count ->
    [one] 1 min ago
   *[other] { $count } min ago
}
liveness-ago-hours = { $count ->
    [one] 1 hour ago
   *[other] { $count } hours ago
}
liveness-ago-days = { $count ->
    [one] 1 day ago
   *[other] { $count } days ago
}
liveness-uptime-30d = { $percent } over 30 days
liveness-measured-here = measured by this node
liveness-measured-by = measured by { $node }, not by this node
liveness-confirmed = Last confirmed by the co-op on { $date }
liveness-not-confirmed = Not confirmed by the co-op on this node
filter-working-now = Working now
filter-working-hint = services that answered their last check
outdated-title = Report outdated information
outdated-comment = What is outdated or wrong?
outdated-button = Send to the co-op and the admins
outdated-thanks = Thank you. The co-op's staff and this node's admins will see your report.
outdated-comment-missing = Say what is outdated, so that the co-op can fix it.
outdated-comment-too-long = A report has at most { $count } characters.
outdated-rate-limited = { $count ->
    [one] Too many reports from your address. Try again in 1 minute.
   *[other] Too many reports from your address. Try again in { $count } minutes.
}
outdated-back = Back to { $name }
staff-liveness-title = Checks of your services
staff-unreachable = { $name } has not answered this node's checks since { $date }. Members see it marked unreachable; fix the service or its address.
staff-version-mismatch = The listing gives version { $listed }, but the service reports { $observed }: update the listing (or the service).
staff-outdated-title = Reports of outdated information
staff-outdated-item = { $date }: { $comment }
staff-outdated-done = Handled
done-outdated = The report is marked handled.
## Fediscovery (FASP) and privacy

fasp-admin-title = Fediscovery registrations
fasp-admin-hint = Fediverse servers (Mastodon 4.4 and later) that ask this node for account search and follow recommendations. Register with a server by running “coopdir fasp register https://SERVER” and read the fingerprint it prints to the server's admin.
fasp-admin-none = This node is not registered with any server.
fasp-col-id = Registration
fasp-col-server = Server
fasp-col-status = Status
fasp-col-fingerprint = Key fingerprint
fasp-col-capabilities = Enabled capabilities
fasp-col-registered = Registered
fasp-revoke-button = Revoke registration { $id }
fasp-revoked = The registration is revoked: that server's requests are refused from now on.
fasp-unknown = There is no such registration.
privacy-title = Privacy
privacy-lead = What this node keeps about the people who use it.
privacy-federation = Fediverse accounts that follow a listing are stored (their address and inbox) so that announcements reach them, until they unfollow.
privacy-fasp-heading = Search and recommendations for Fediverse servers (Fediscovery)
privacy-fasp = Servers registered with this node send the words their members search for, and, for follow recommendations, the address of the account that asks. Both are used only to answer that request: they are not stored, not logged and not passed on. Only listings of this node that have agreed to be found (indexable and discoverable) are returned.
## Answers of the directory actor to questions from the fediverse
ask-alternatives = Compatible alternatives to { $name }, best first:
ask-alternatives-none = I know no compatible alternative to { $name } yet.
ask-matches = { $count ->
    [one] 1 match:
   *[other] { $count } matches; here are the first:
}
ask-none = I found no listed offering for that. Try fewer words, or a platform such as bigbluebutton or jitsi.
## Refusals of the directory (forms and the API say them in the reader's language)
error-unknown-value = unknown { $kind ->
    [platform] platform
    [feature] feature
    [price-model] price model
    [price-period] price period
    [registration] registration
    [co-op-form] co-op form
    [status] status
    [announcement-kind] announcement kind
    [moderation-state] moderation state
    [actor-kind] actor kind
    [delivery-state] delivery state
   *[other] { $kind }
} '{ $value }'; expected one of: { $expected }
error-currency = '{ $value }' is not an ISO 4217 currency code; use three letters such as EUR, GBP or USD
error-country = '{ $value }' is not an ISO 3166-1 country code; use two letters such as DE, FR or GB
error-language = '{ $value }' is not a BCP 47 language tag ({ $reason }); use e.g. en, de or pt-BR
error-handle = '{ $value }' is not a valid handle name; use 1 to 30 lower-case letters, digits or _ (e.g. meetcoop_bbb)
error-name-length = a name must be 1 to 100 characters on one line; got { $count } characters
error-summary-length = a summary may have at most 5000 characters; this one has { $count }; shorten it
error-amount = '{ $value }' is not a price amount; write a number such as 9 or 9.50
error-price-no-currency = a price amount needs a currency; add e.g. currency = "EUR"
error-price-no-amount = a currency without an amount; add e.g. amount = "9.50" or remove currency
error-price-free = a free offering cannot have a price amount; remove amount or change model
error-url = '{ $value }' is not a URL ({ $reason }); write it in full, e.g. https://example.coop/
error-web-url = '{ $value }' is not a web address; use an https:// URL of at most 2000 characters
error-count-range = { $value } is out of range; use a number from 1 to { $max }
error-notice-range = { $value } days of notice is out of range; use 0 to 3650
error-announce-author = only co-ops and offerings post announcements
error-translation-default = '{ $tag }' is this node's default language; give that text as the main text
error-translation-unoffered = '{ $tag }' is neither a language of the interface nor one this listing offers; use one of: { $offered }
error-translation-twice = the text in '{ $tag }' is given twice
error-announce-empty = the announcement text is empty; write what members should know
error-announce-too-long = the announcement has { $count } characters; at most { $max } are allowed
error-announcement-unknown = there is no announcement { $url } on this node
error-announcement-not-local = { $url } is not an announcement of this node
error-sunset-not-local = @{ $handle } is not a co-op or offering of this node; sunsets apply to those
error-sunset-already = @{ $handle } is already sunsetting: { $end } is its last day of service. A sunset can be postponed to a later date, or called off with --cancel
error-sunset-not-active = @{ $handle } is { $status }; only an active offering can start a sunset
error-note-too-long = the note is longer than 2000 characters; keep it to what members need to know
error-sunset-notice = { $name } promised { $notice } days of notice before closing; the last day of service { $end } is { $days } days away. Choose { $earliest } or later.
error-sunset-past = the last day of service { $end } is in the past; choose a later date
error-sunset-none = @{ $handle } is { $status }, not sunsetting; there is no sunset to cancel
error-transfer-pending = @{ $handle } already has a pending transfer proposal ({ $id }) to { $successor }; wait for its answer or its expiry on { $expires }
error-transfer-self = an offering cannot be transferred to itself
error-successor-moved = the successor { $successor } has itself closed or moved
error-successor-unlisted = the successor { $successor } is not listed on this node
error-successor-offering = a co-op is handed over to another co-op; { $successor } is an offering (name its offerings with --map OLD=NEW)
error-transfer-not-local = @{ $handle } is not a co-op or offering of this node; transfers apply to those
error-transfer-done = @{ $handle } was already transferred to { $successor }; an offering is transferred once
error-transfer-closed = @{ $handle } is closed and cannot be transferred
error-proposal-unknown = there is no transfer proposal { $id }; `coopdir transfers` lists them
error-proposal-elsewhere = proposal { $id } is addressed to { $successor }, which is not on this node; it is answered there
error-proposal-expired = proposal { $id } expired on { $date } without an answer; the other co-op can propose again
error-proposal-answered = proposal { $id } was already answered: it is { $state }
error-proposal-answered-by = proposal { $id } was already answered: it is { $state } (by { $by })
error-proposal-not-yours = proposal { $id } is addressed to { $successor }; only that co-op's staff can answer it, not { $username }
error-handle-elsewhere = '{ $handle }' is not on this node ({ $domain }); give a handle such as name@{ $domain }
error-handle-removed = '{ $handle }' was removed from this node
error-handle-unknown = there is no co-op or offering '{ $handle }' on this node; `coopdir import` a listing first
error-not-local-offering = { $id } is not an offering of this node
error-offering-removed = { $id } was removed and cannot be edited
error-handle-fixed = the handle of { $id } cannot change: it is part of the actor's id
error-password-short = the password must have at least { $min } characters; a few random words make a good one
error-domain-invalid = '{ $value }' is not a domain; give a domain such as evil.example (subdomains are included), optionally with a port (localhost:8081), or a URL on that domain
error-domain-name = '{ $value }' is not a domain name
error-domain-own = { $domain } is this node's own domain (or a parent of it); it cannot be blocked
error-domain-not-blocked = { $domain } is not blocked; `coopdir domains` lists the blocks
error-domain-already-allowed = { $domain } is already allowed
error-domain-not-allowed = { $domain } is not on the allowlist
error-actor-gone = { $id } no longer exists
error-actor-unknown = no actor '{ $target }' is known here; give name@domain or the actor's URL
error-actor-url = '{ $target }': { $reason }
error-moderate-instance = the instance actor is not a listing and cannot be moderated
error-moderation-state = { $id } is in the state '{ $state }', which moderation does not change
error-moderation-already = { $id } is already { $state ->
        [pending] pending approval
        [hidden] hidden
        [suspended] suspended
        [removed] removed by its co-op
       *[approved] approved
    }
error-moderation-from = { $id } is { $state ->
        [pending] pending approval
        [hidden] hidden
        [suspended] suspended
        [removed] removed by its co-op
       *[approved] approved
    }; '{ $action }' applies only to listings that are { $allowed ->
        [pending-hidden] pending or hidden
        [pending-approved] pending or approved
        [hidden-suspended] hidden or suspended
       *[pending-approved-hidden] pending or approved or hidden
    }
error-report-unknown = there is no report { $id }; `coopdir reports` lists them
error-report-resolved = report { $id } was already resolved ({ $resolution })
error-report-actor-gone = the actor of report { $id } ({ $actor }) is no longer stored; dismiss the report
error-report-forwarded = report { $id } was already forwarded
error-report-forward-gone = the actor of report { $id } is no longer stored
error-report-local = report { $id } is about { $actor }, a listing of this node; only reports about remote actors are forwarded
error-report-forward-refused = cannot forward report { $id }: { $reason }
error-alternative-unknown = --alternative { $handle }: no offering of that name is listed here; give the handle name@domain of a listed offering
error-alternative-own = --alternative { $handle }: that is one of the services that close; name another co-op's offering
error-alternative-inactive = --alternative { $handle }: it is { $status } or its co-op is closing; name an active offering
error-api-no-token = this endpoint needs an API token: send `Authorization: Bearer <token>`; an admin of this node creates one with `coopdir token create USERNAME --name NAME` (see docs/api.md)
error-api-bearer = the Authorization header must be `Bearer <token>` with an API token; an admin of this node creates one with `coopdir token create USERNAME --name NAME` (see docs/api.md)
error-api-token-invalid = this API token is not valid: unknown, revoked, or mistyped; an admin of this node creates one with `coopdir token create USERNAME --name NAME` (see docs/api.md)
error-api-no-listing = this node has no co-op or offering '{ $username }'; GET /api/v1/me lists the listings this token may manage
error-api-not-allowed = the token's account may not act on the listing { $handle }: { $reason }
error-api-not-object = the request body must be a JSON object
error-api-limit = '{ $value }' is not a number from 1 to { $max }
error-api-note-long = longer than { $max } characters; keep it to what members need to know
error-api-alternatives-many = at most { $max }; name the few that suit members best
error-api-end-required = the last day of service is required, as YYYY-MM-DD (or "cancel": true to call a sunset off)
error-api-proposal-id = { $reason }; give the number of a proposal, as GET /api/v1/transfers lists it
error-api-proposal-staff = only the staff of the co-op of { $successor } answer proposal { $id }: { $reason }
error-api-reason-long = longer than { $max } characters; say briefly why
error-api-not-under = { $id } is not under an announcement of { $listing }
error-api-kind-action = '{ $kind }' announcements are written by the { $kind } action; choose one of: { $accepted }
error-api-kind-unknown = unknown announcement kind '{ $kind }'; expected one of: { $accepted }
error-successor-url = '{ $value }' is not a URL: { $reason }
error-successor-unresolved = cannot resolve the successor { $successor }: { $reason }; check the handle or URL
error-successor-gone = the successor is gone
error-proposal-origin-unknown = the proposing actor { $id } is unknown here; it may have been removed
error-peer-address = '{ $value }' is neither a domain nor a URL ({ $reason })
error-peer-not-http = '{ $value }' is not an http(s) address
error-peer-not-https = '{ $value }' is not https; peers are reached over https
error-peer-itself = a node cannot peer with itself
error-peer-not-coopdir = { $domain } does not look like a coopdir node: { $reason }
error-peer-no-nodeinfo = { $domain } publishes no NodeInfo 2.x
error-peer-nodeinfo-elsewhere = its NodeInfo lives on another host
error-peer-software = { $domain } runs { $software }, not coopdir; only coopdir nodes can be peered
error-peer-instance-long = its instance actor's URL is longer than { $max } bytes
error-peer-instance-elsewhere = its instance actor lives on another host

## Who may act on a listing; the successor and hand-over map of a transfer
error-not-allowed-remote = { $listing } is a listing of another node; it can only be changed there
error-not-allowed-no-coop = the staff account '{ $username }' belongs to no co-op
error-not-allowed-other-coop = '{ $username }' is staff of another co-op and may not act on { $listing }
error-not-allowed-role = the account '{ $username }' has no role that allows this
error-staff-not-coop = { $id } is not a co-op of this node; staff accounts belong to a local co-op
error-account-exists = an account '{ $username }' already exists
error-successor-empty = name the successor: its handle name@domain or its actor URL
error-successor-not-url = '{ $value }' is not a URL ({ $reason }); name the successor: its handle name@domain or its actor URL
error-successor-shape = '{ $value }' is neither an actor URL nor a handle; name the successor: its handle name@domain or its actor URL
error-successor-not-here = there is no co-op or offering { $successor } on this node
error-successor-no-alias = the successor { $successor } does not list { $origin } in alsoKnownAs, so followers' servers would refuse the move. Ask the other co-op to add it: on Mastodon, add an account alias under Preferences › Account › Moving from a different account. Then transfer again.
error-map-not-coop = --map applies to the hand-over of a whole co-op; name a co-op handle to transfer
error-map-pair = --map '{ $pair }' is not OLD=NEW; e.g. --map bbb@{ $domain }=rooms@other.example
error-map-old = --map { $pair }: { $old } is not an offering of { $coop }; map only the co-op's own offerings
error-map-new = --map { $pair }: { $new } is not an offering of the successor { $successor }; map to its own offerings
error-map-elsewhere = --map { $pair }: { $new } is not on the successor's node; map to its own offerings
error-api-map-many = at most { $max } OLD=NEW pairs
error-api-map-pair = '{ $pair }' is not OLD=NEW, e.g. "bbb=rooms@other.example"
error-api-transfer-confirm = a transfer moves every follower and cannot be undone; send "confirm": true (or "preview": true to see it first)
error-api-end-date = '{ $value }' is not a date from 2000-01-01 to 2999-12-31; give the last day of service as YYYY-MM-DD
error-api-proposal-gone = proposal { $id } is gone

## Refusals of the API's own checks, replies, imports, feeds and exports
error-api-coop-not-offering = { $handle } is a co-op, not an offering; this endpoint applies to offerings
error-api-bad-query = bad query: { $reason }
error-api-not-json = the request body is not JSON ({ $reason }); send a JSON object with `Content-Type: application/json`
error-api-no-offering = this node lists no offering '{ $username }'
error-not-listed-here = no listed co-op or offering '{ $username }' on this node
error-no-listing-here = no co-op or offering '{ $username }' on this node
error-report-not-open = { $username } has no open report { $id }
error-filter-many = at most { $max } values are accepted; { $given } were given
error-filter-working = '{ $value }' is not accepted; use working=true (or leave it out)
error-answer-target = { $url } is neither an announcement of this node nor a reply under one; give the URL of the announcement or of the reply shown on its page
error-answer-hidden = { $url } is hidden by moderation; it cannot be answered
error-answer-empty = the answer is empty; write what the member should know
error-answer-long = the answer has { $count } characters; at most { $max } are allowed
error-reply-unknown = there is no reply { $url } on this node
error-reply-announcement-gone = the announcement of { $url } is gone
error-reply-not-here = { $url } is not under an announcement of this node
error-pin-member = { $url } is a member's reply; only the co-op's answers can be pinned
error-hide-reason = give a reason: it is kept in the moderation log
error-handle-other-coop = the handle '{ $handle }' already belongs to another co-op or to the node; choose another handle
error-handle-taken = '{ $handle }' is already taken on this node (by the { $kind ->
        [instance] instance actor
        [coop] co-op
        [offering] offering
        [group] category group
        [person] person
       *[remote] remote actor
    }); choose another handle
error-handle-retired = '{ $handle }' was removed; its followers were told it is gone, so the handle is not used again. Choose another handle.
error-alternatives-unknown = this directory knows no offering { $target }; give the actor URL of a listed offering
error-export-not-coop = { $handle } is not a listed co-op of this node; export takes a co-op's handle
error-no-such-offering = this node lists no such offering
error-no-such-announcement = no such announcement of this node
error-api-actor-required = the query parameter `actor` is required: give the actor URL of an offering, e.g. /api/v1/offerings/alternatives?actor=https://node.example/actors/name
error-api-aka-fixed = earlier actors of an offering are set by a transfer to it, not edited; leave the field out or send it unchanged
error-filter-not-stated = not-stated is not a filter value: listings whose source states no price or registration are matched by no price or registration filter; leave the filter out
error-page-zero = page numbers start at 1
error-page-not-number = '{ $value }' is not a page number
error-offering-ref-url = '{ $value }' is not a URL ({ $reason }); give the actor URL of an offering, e.g. https://node.example/actors/name, or its handle name@node.example
error-offering-ref = '{ $value }' is neither an actor URL nor a handle; give the actor URL of an offering, e.g. https://node.example/actors/name, or its handle name@node.example
