// SPDX-License-Identifier: AGPL-3.0-only
//
// coopdir interop peer: a small ActivityPub server built on Fedify, used by
// coopdir's Rust integration tests as an independent implementation to
// federate with.  See README.md in this directory for the control API.
//
// Environment:
//   PEER_PORT                   port on 127.0.0.1 (0 = any free port)
//   PEER_DATA_DIR               directory holding keys.json (key pairs persist)
//   PEER_REQUIRE_SIGNED_FETCH   "1": answer 401 to unsigned GETs of alice
//                               (authorized fetch); default: record and allow
//   PEER_FIRST_KNOCK            HTTP signature spec tried first when signing
//                               ("rfc9421" = Fedify's default, or
//                               "draft-cavage-http-signatures-12")
//
// Prints exactly one line "LISTENING <port>" on stdout when ready; all other
// logging goes to stderr.

import { createServer } from "node:http";
import { mkdirSync, readFileSync, writeFileSync, renameSync } from "node:fs";
import { join } from "node:path";
import { randomUUID } from "node:crypto";

import {
  createFederation,
  MemoryKvStore,
  exportJwk,
  importJwk,
  generateCryptoKeyPair,
  exportSpki,
} from "@fedify/fedify";
import {
  Accept,
  Activity,
  Application,
  Create,
  Endpoints,
  Flag,
  Follow,
  Hashtag,
  Mention,
  Move,
  Note,
  PUBLIC_COLLECTION,
  Person,
  PropertyValue,
  Reject,
  Undo,
  Update,
  getTypeId,
  isActor,
} from "@fedify/vocab";
import { getRequestListener } from "@hono/node-server";
import { Temporal } from "@js-temporal/polyfill";

// ---------------------------------------------------------------------------
// Configuration

const log = (...args) => console.error("[peer]", ...args);

const requestedPort = Number.parseInt(process.env.PEER_PORT ?? "0", 10);
if (!Number.isInteger(requestedPort) || requestedPort < 0 || requestedPort > 65535) {
  console.error(`invalid PEER_PORT: ${process.env.PEER_PORT}`);
  process.exit(2);
}
const dataDir = process.env.PEER_DATA_DIR;
if (!dataDir) {
  console.error("PEER_DATA_DIR must be set");
  process.exit(2);
}
const requireSignedFetch = process.env.PEER_REQUIRE_SIGNED_FETCH === "1";
const firstKnock = process.env.PEER_FIRST_KNOCK || undefined;

// Actor identifiers.  The actor path template is "/{+identifier}" (Fedify
// allows the reserved "+" operator for identifiers), so the identifier is the
// path itself: alice lives at /users/alice and the instance actor at /actor.
const ALICE = "users/alice";
const INSTANCE = "actor";
const HANDLES = { alice: ALICE, instance: INSTANCE };

// ---------------------------------------------------------------------------
// https -> http for loopback
//
// Fedify always resolves acct: handles with WebFinger over https
// (@fedify/webfinger hard-codes "https:" for acct: resources), but coopdir
// test nodes and other peers speak plain http on loopback.  With
// `allowPrivateAddress: true` (required to fetch loopback addresses at all)
// Fedify 2.3.6 refuses custom documentLoaderFactory / contextLoaderFactory /
// authenticatedDocumentLoaderFactory options, and ctx.lookupObject() does its
// WebFinger step with the global fetch() regardless of the document loader.
// So the one place that catches every outgoing request (WebFinger, document
// loading, signed fetches, activity delivery) is globalThis.fetch: we wrap it
// and rewrite only https://localhost[:port] URLs to http://.  Requests to any
// other host are untouched.

const originalFetch = globalThis.fetch;
function toLoopbackHttp(url) {
  const u = new URL(url);
  if (u.protocol === "https:" && u.hostname === "localhost") {
    u.protocol = "http:";
    return u.href;
  }
  return null;
}
globalThis.fetch = async function loopbackFetch(input, init) {
  if (input instanceof Request) {
    const rewritten = toLoopbackHttp(input.url);
    if (rewritten != null) {
      // Only bodiless requests (WebFinger GETs) are expected here.
      const body = input.method === "GET" || input.method === "HEAD"
        ? undefined
        : await input.arrayBuffer();
      input = new Request(rewritten, {
        method: input.method,
        headers: input.headers,
        body,
        redirect: input.redirect,
        signal: input.signal,
      });
    }
  } else {
    const rewritten = toLoopbackHttp(input instanceof URL ? input.href : String(input));
    if (rewritten != null) input = rewritten;
  }
  // Outgoing POSTs (deliveries) are recorded with the signature spec they carry and the
  // answer they got, so that a test can see which knock was accepted.
  const headers = new Headers(input instanceof Request ? input.headers : init?.headers ?? {});
  const method = (input instanceof Request ? input.method : init?.method ?? "GET").toUpperCase();
  const response = await originalFetch(input, init);
  if (method === "POST") {
    state.deliveries.push({
      url: input instanceof Request ? input.url : String(input),
      spec: signatureSpec(headers),
      status: response.status,
      at: new Date().toISOString(),
    });
  }
  return response;
};

function signatureSpec(headers) {
  if (headers.has("signature-input")) return "rfc9421";
  if (headers.has("signature")) return "draft-cavage";
  return null;
}

// ---------------------------------------------------------------------------
// Persistent key pairs (RSA for draft-cavage / RFC 9421, Ed25519 for proofs)

const KEY_ALGORITHMS = ["RSASSA-PKCS1-v1_5", "Ed25519"];

async function pem(publicKey) {
  return await exportSpki(publicKey);
}

async function loadOrCreateKeys() {
  mkdirSync(dataDir, { recursive: true });
  const file = join(dataDir, "keys.json");
  let stored = {};
  try {
    stored = JSON.parse(readFileSync(file, "utf8"));
  } catch (e) {
    if (e.code !== "ENOENT") throw e;
  }
  let changed = false;
  const result = {};
  for (const identifier of [ALICE, INSTANCE]) {
    result[identifier] = [];
    stored[identifier] ??= [];
    for (const algorithm of KEY_ALGORITHMS) {
      let entry = stored[identifier].find((k) => k.algorithm === algorithm);
      if (entry == null) {
        const pair = await generateCryptoKeyPair(algorithm);
        entry = {
          algorithm,
          privateKey: await exportJwk(pair.privateKey),
          publicKey: await exportJwk(pair.publicKey),
          publicKeyPem: await pem(pair.publicKey),
        };
        stored[identifier].push(entry);
        changed = true;
      }
      result[identifier].push({
        privateKey: await importJwk(entry.privateKey, "private"),
        publicKey: await importJwk(entry.publicKey, "public"),
      });
    }
  }
  if (changed) {
    const tmp = `${file}.tmp`;
    writeFileSync(tmp, JSON.stringify(stored, null, 2), { mode: 0o600 });
    renameSync(tmp, file);
  }
  return result;
}

const keyPairs = await loadOrCreateKeys();

// ---------------------------------------------------------------------------
// In-memory state, exposed by GET /control/state

function emptyState() {
  return {
    inbox: [], // every verified activity received
    unverified: [], // activities Fedify refused (bad/missing signature)
    follows: [], // alice's outgoing follows
    followers: [], // accepted incoming follows of alice
    fetches: [], // GETs of our actor documents
    moves: [], // Move handling results
    notes: [], // Create(Note) received
    updates: [], // Update(actor) received
    sent: [], // activities we delivered via the control API
    deliveries: [], // every POST this peer sent: {url, spec, status, at}
  };
}
let state = emptyState();
// Original JSON bodies POSTed to our inboxes, by activity id.
let originals = new Map();
// The signature spec ("rfc9421" / "draft-cavage") each received activity came with.
let specs = new Map();
// Notes alice authored (served at /notes/{id}).
const authoredNotes = new Map();
// Alice's editable profile (POST /control/profile); reset by /control/reset.
const defaultProfile = () => ({
  name: "Alice (Fedify peer)",
  summary: "<p>Interop test actor served by Fedify.</p>",
  fields: [
    { name: "Software", value: "Fedify 2.3.6" },
    { name: "Role", value: "<p>interop peer</p>" },
  ],
  alsoKnownAs: [],
  movedTo: null,
});
let profile = defaultProfile();

// ---------------------------------------------------------------------------
// Helpers

const shortType = (obj) => {
  const href = getTypeId(obj).href;
  return href.slice(Math.max(href.lastIndexOf("#"), href.lastIndexOf("/")) + 1);
};
const str = (v) => (v == null ? null : v.toString());
const escapeHtml = (s) =>
  String(s).replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c]);
const json = (body, status = 200) =>
  new Response(JSON.stringify(body), {
    status,
    headers: { "content-type": "application/json" },
  });

function signatureKeyIdFromHeaders(headers) {
  const sig = headers.get("signature");
  if (sig) {
    const m = /keyId="([^"]*)"/i.exec(sig);
    if (m) return m[1];
  }
  const input = headers.get("signature-input");
  if (input) {
    const m = /keyid="([^"]*)"/i.exec(input);
    if (m) return m[1];
  }
  return null;
}

// ---------------------------------------------------------------------------
// Server and federation (the federation is built once the port is known so
// that every URL Fedify builds uses http://localhost:<port>).

let federation = null;
let origin = null;

const server = createServer(
  getRequestListener((request) => handle(request), { overrideGlobalObjects: false }),
);
await new Promise((resolve, reject) => {
  server.once("error", reject);
  server.listen(requestedPort, "127.0.0.1", resolve);
});
const port = server.address().port;
origin = `http://localhost:${port}`;
federation = buildFederation();

process.stdout.write(`LISTENING ${port}\n`);
log(`serving ${origin} (data dir ${dataDir}, signed fetch ${requireSignedFetch ? "required" : "recorded"})`);

for (const signal of ["SIGINT", "SIGTERM"]) {
  process.on(signal, () => {
    server.close();
    process.exit(0);
  });
}

function buildFederation() {
  const fed = createFederation({
    kv: new MemoryKvStore(),
    origin,
    allowPrivateAddress: true,
    ...(firstKnock ? { firstKnock } : {}),
  });

  // ---- actors
  fed
    .setActorDispatcher("/{+identifier}", async (ctx, identifier) => {
      if (identifier !== ALICE && identifier !== INSTANCE) return null;
      const keys = await ctx.getActorKeyPairs(identifier);
      const common = {
        id: ctx.getActorUri(identifier),
        inbox: ctx.getInboxUri(identifier),
        endpoints: new Endpoints({ sharedInbox: ctx.getInboxUri() }),
        publicKey: keys[0].cryptographicKey,
        assertionMethods: keys.map((k) => k.multikey),
      };
      if (identifier === ALICE) {
        return new Person({
          ...common,
          preferredUsername: "alice",
          name: profile.name,
          summary: profile.summary,
          url: new URL("/@alice", origin),
          followers: ctx.getFollowersUri(identifier),
          manuallyApprovesFollowers: false,
          discoverable: true,
          attachments: profile.fields.map((f) => new PropertyValue({ name: f.name, value: f.value })),
          aliases: profile.alsoKnownAs.map((u) => new URL(u)),
          successor: profile.movedTo ? new URL(profile.movedTo) : null,
        });
      }
      return new Application({
        ...common,
        preferredUsername: "instance",
        name: `localhost:${port}`,
        summary: "<p>Instance actor of the interop peer.</p>",
        manuallyApprovesFollowers: true,
      });
    })
    .mapHandle((_ctx, username) => HANDLES[username] ?? null)
    .setKeyPairsDispatcher((_ctx, identifier) => keyPairs[identifier] ?? [])
    .authorize(async (ctx, identifier) => {
      const key = await ctx.getSignedKey();
      state.fetches.push({
        path: ctx.url.pathname,
        identifier,
        signed: key != null,
        keyId: key?.id?.href ?? null,
        headerKeyId: signatureKeyIdFromHeaders(ctx.request.headers),
        accept: ctx.request.headers.get("accept"),
        at: new Date().toISOString(),
      });
      // Like Mastodon, the instance actor is always served so that peers
      // can verify its signatures; alice needs a signature in strict mode.
      if (!requireSignedFetch || identifier === INSTANCE) return true;
      return key != null;
    });

  // ---- followers collection of alice
  fed
    .setFollowersDispatcher("/{+identifier}/followers", (_ctx, identifier) => {
      if (identifier !== ALICE) return null;
      return {
        items: state.followers.map((f) => ({
          id: new URL(f.actor),
          inboxId: new URL(f.inbox),
          endpoints: f.sharedInbox ? { sharedInbox: new URL(f.sharedInbox) } : null,
        })),
      };
    })
    .setCounter((_ctx, identifier) => (identifier === ALICE ? state.followers.length : null));

  // ---- notes alice authored
  fed.setObjectDispatcher(Note, "/notes/{id}", (_ctx, values) => authoredNotes.get(values.id) ?? null);

  // ---- inboxes
  fed
    .setInboxListeners("/{+identifier}/inbox", "/inbox")
    .setSharedKeyDispatcher(() => ({ identifier: INSTANCE }))
    .on(Follow, async (ctx, follow) => {
      await record(ctx, follow);
      await onFollow(ctx, follow);
    })
    .on(Accept, async (ctx, accept) => {
      await record(ctx, accept);
      onAcceptOrReject(accept, true);
    })
    .on(Reject, async (ctx, reject) => {
      await record(ctx, reject);
      onAcceptOrReject(reject, false);
    })
    .on(Undo, async (ctx, undo) => {
      await record(ctx, undo);
      await onUndo(ctx, undo);
    })
    .on(Move, async (ctx, move) => {
      const entry = await record(ctx, move);
      await onMove(ctx, move, entry);
    })
    .on(Create, async (ctx, create) => {
      await record(ctx, create);
      await onCreate(ctx, create);
    })
    .on(Update, async (ctx, update) => {
      await record(ctx, update);
      await onUpdate(ctx, update);
    })
    .on(Activity, async (ctx, activity) => {
      await record(ctx, activity);
    })
    .onUnverifiedActivity((ctx, activity, reason) => {
      state.unverified.push({
        type: shortType(activity),
        id: str(activity.id?.href),
        actor: str(activity.actorId?.href),
        path: ctx.url.pathname,
        reason: reason?.type ?? String(reason),
        keyId: signatureKeyIdFromHeaders(ctx.request.headers),
      });
    })
    .onError((_ctx, error) => {
      log("inbox error:", error);
    });

  return fed;
}

// The authenticated document loader of alice: fetches signed with her key.
const aliceLoader = (ctx) => ctx.getDocumentLoader({ identifier: ALICE });

async function record(ctx, activity) {
  const id = activity.id?.href ?? null;
  let raw = null;
  try {
    raw = await activity.toJsonLd({ contextLoader: ctx.contextLoader });
  } catch (e) {
    raw = { error: String(e) };
  }
  const entry = {
    type: shortType(activity),
    id,
    actor: activity.actorId?.href ?? null,
    object: activity.objectId?.href ?? null,
    target: activity.targetId?.href ?? null,
    recipient: ctx.recipient ?? null,
    raw,
    original: id != null ? originals.get(id) ?? null : null,
    signature: id != null ? specs.get(id) ?? null : null,
    verified: true,
    at: new Date().toISOString(),
  };
  state.inbox.push(entry);
  log(`received ${shortType(activity)} ${id} from ${activity.actorId?.href}`);
  return entry;
}

async function onFollow(ctx, follow) {
  const alice = ctx.getActorUri(ALICE);
  if (follow.objectId?.href !== alice.href || follow.id == null) return;
  const follower = await follow.getActor({ documentLoader: await aliceLoader(ctx) });
  if (follower == null || !isActor(follower) || follower.inboxId == null) {
    log("follow from unresolvable actor", follow.actorId?.href);
    return;
  }
  state.followers = state.followers.filter((f) => f.actor !== follower.id.href);
  state.followers.push({
    actor: follower.id.href,
    followId: follow.id.href,
    inbox: follower.inboxId.href,
    sharedInbox: follower.endpoints?.sharedInbox?.href ?? null,
  });
  const accept = new Accept({
    id: new URL(`/accepts/${randomUUID()}`, origin),
    actor: alice,
    object: follow,
    to: follower.id,
  });
  await ctx.sendActivity({ identifier: ALICE }, follower, accept, { immediate: true });
  state.sent.push({ type: "Accept", id: accept.id.href, to: follower.id.href });
}

function onAcceptOrReject(activity, accepted) {
  const objectId = activity.objectId?.href;
  let follow = state.follows.find((f) => f.id === objectId);
  // Fall back to the newest pending follow of the sender when the Accept
  // names the Follow some other way.
  follow ??= [...state.follows]
    .reverse()
    .find((f) => f.target === activity.actorId?.href && !f.accepted && !f.rejected);
  if (follow == null) return;
  if (accepted) follow.accepted = true;
  else follow.rejected = true;
  follow.answeredBy = activity.id?.href ?? null;
}

async function onUndo(ctx, undo) {
  const objectId = undo.objectId?.href;
  const before = state.followers.length;
  state.followers = state.followers.filter(
    (f) => !(f.followId === objectId || (f.actor === undo.actorId?.href && objectId == null)),
  );
  if (state.followers.length === before && objectId != null) {
    // The Undo might carry an embedded Follow whose id we did not keep.
    const inner = await undo.getObject({ documentLoader: await aliceLoader(ctx) }).catch(() => null);
    if (inner instanceof Follow) {
      state.followers = state.followers.filter((f) => f.actor !== inner.actorId?.href);
    }
  }
}

// Mastodon-like Move handling (app/lib/activitypub/activity/move.rb): the
// object must be the actor itself, and the target must list the old actor in
// alsoKnownAs.  Then alice unfollows the old actor and follows the new one.
async function onMove(ctx, move, inboxEntry) {
  const from = move.actorId?.href ?? null;
  const to = move.targetId?.href ?? null;
  const entry = { from, to, followed: false };
  state.moves.push(entry);
  try {
    if (from == null || move.objectId?.href !== from) {
      throw new Error("Move object is not the Move actor");
    }
    if (to == null) throw new Error("Move has no target");
    const loader = await aliceLoader(ctx);
    const target = await ctx.lookupObject(to, { documentLoader: loader });
    if (target == null || !isActor(target)) throw new Error(`could not fetch target actor ${to}`);
    if (!target.aliasIds.some((u) => u.href === from)) {
      throw new Error(`target's alsoKnownAs does not contain ${from}`);
    }
    entry.wasFollowing = state.follows.some((f) => f.target === from && !f.undone);
    try {
      const old = await ctx.lookupObject(from, { documentLoader: loader });
      if (old != null && isActor(old)) await unfollowActor(ctx, old);
    } catch (e) {
      entry.unfollowError = String(e?.message ?? e);
    }
    const follow = await followActor(ctx, target);
    entry.followed = true;
    entry.followId = follow.id.href;
    inboxEntry.move_followed = to;
  } catch (e) {
    entry.error = String(e?.message ?? e);
    log("move rejected:", entry.error);
  }
}

async function onCreate(ctx, create) {
  const object = await create.getObject({ documentLoader: await aliceLoader(ctx) });
  if (!(object instanceof Note)) return;
  const tags = [];
  for await (const tag of object.getTags({ documentLoader: await aliceLoader(ctx) })) {
    if (tag instanceof Hashtag || tag instanceof Mention) {
      tags.push({ type: shortType(tag), name: str(tag.name), href: tag.href?.href ?? null });
    } else {
      tags.push({ type: shortType(tag), name: str(tag.name), href: null });
    }
  }
  state.notes.push({
    activity: create.id?.href ?? null,
    id: object.id?.href ?? null,
    attributedTo: object.attributionId?.href ?? null,
    content: str(object.content),
    inReplyTo: object.replyTargetId?.href ?? null,
    to: object.toIds.map((u) => u.href),
    cc: object.ccIds.map((u) => u.href),
    tags,
  });
}

async function onUpdate(ctx, update) {
  const object = await update.getObject({ documentLoader: await aliceLoader(ctx) });
  if (object == null) return;
  const entry = { activity: update.id?.href ?? null, id: object.id?.href ?? null, type: shortType(object) };
  if (isActor(object)) {
    Object.assign(entry, await describeActor(object, await aliceLoader(ctx), ctx.contextLoader));
  }
  state.updates.push(entry);
}

// ---------------------------------------------------------------------------
// Outgoing actions

async function lookupActor(ctx, target) {
  const loader = await aliceLoader(ctx);
  const object = await ctx.lookupObject(target, { documentLoader: loader });
  if (object == null) {
    // lookupObject() swallows the reason; fetch directly to report it.
    let reason = "not found";
    if (/^https?:/.test(target)) {
      try {
        await loader(target);
      } catch (e) {
        reason = String(e?.message ?? e);
      }
    }
    throw new Error(`lookup of ${target} failed: ${reason}`);
  }
  if (!isActor(object)) throw new Error(`${target} is a ${shortType(object)}, not an actor`);
  return object;
}

async function followActor(ctx, actor) {
  const follow = new Follow({
    id: new URL(`/follows/${randomUUID()}`, origin),
    actor: ctx.getActorUri(ALICE),
    object: actor.id,
    to: actor.id,
  });
  const entry = { id: follow.id.href, target: actor.id.href, accepted: false };
  state.follows.push(entry);
  await ctx.sendActivity({ identifier: ALICE }, actor, follow, { immediate: true });
  state.sent.push({ type: "Follow", id: follow.id.href, to: actor.id.href });
  return follow;
}

async function unfollowActor(ctx, actor) {
  const entry = [...state.follows].reverse().find((f) => f.target === actor.id.href && !f.undone);
  if (entry == null) return null;
  const undo = new Undo({
    id: new URL(`/undos/${randomUUID()}`, origin),
    actor: ctx.getActorUri(ALICE),
    object: new Follow({
      id: new URL(entry.id),
      actor: ctx.getActorUri(ALICE),
      object: actor.id,
    }),
    to: actor.id,
  });
  await ctx.sendActivity({ identifier: ALICE }, actor, undo, { immediate: true });
  entry.undone = true;
  state.sent.push({ type: "Undo", id: undo.id.href, to: actor.id.href });
  return undo;
}

// Builds an activity from alice's current actor object and delivers it to
// all of her followers; answers null when she has none.
async function sendToFollowers(ctx, build) {
  const alice = await ctx.getActor(ALICE);
  const activity = build(alice);
  if (state.followers.length === 0) return null;
  await ctx.sendActivity({ identifier: ALICE }, "followers", activity, { immediate: true });
  state.sent.push({ type: shortType(activity), id: activity.id.href, to: "followers" });
  return activity;
}

async function describeActor(actor, documentLoader, contextLoader) {
  let publicKey = null;
  const key = await actor.getPublicKey({ documentLoader, contextLoader });
  if (key != null) {
    publicKey = {
      id: key.id?.href ?? null,
      owner: key.ownerId?.href ?? null,
      pem: key.publicKey != null ? await exportSpki(key.publicKey) : null,
    };
  }
  const fields = [];
  for await (const a of actor.getAttachments({ documentLoader, contextLoader })) {
    if (a instanceof PropertyValue) fields.push({ name: str(a.name), value: str(a.value) });
  }
  return {
    id: actor.id?.href ?? null,
    type: shortType(actor),
    preferredUsername: str(actor.preferredUsername),
    name: str(actor.name),
    summary: str(actor.summary),
    publicKey,
    fields,
    alsoKnownAs: actor.aliasIds.map((u) => u.href),
    movedTo: actor.successorId?.href ?? null,
    inbox: actor.inboxId?.href ?? null,
    sharedInbox: actor.endpoints?.sharedInbox?.href ?? null,
    followers: actor.followersId?.href ?? null,
    url: actor.url?.href ?? null,
  };
}

// ---------------------------------------------------------------------------
// Control API (loopback only: the server binds 127.0.0.1)

async function control(request, path) {
  // A RequestContext (not a plain Context) so that ctx.getActor() works.
  const ctx = federation.createContext(new Request(new URL("/", origin)), undefined);
  const body = request.method === "POST" ? await request.json().catch(() => ({})) : {};
  const need = (name) => {
    const v = body[name];
    if (typeof v !== "string" || v === "") throw Object.assign(new Error(`missing "${name}"`), { status: 400 });
    return v;
  };
  try {
    if (request.method === "GET" && path === "state") return json(state);
    if (request.method !== "POST") return json({ error: "not found" }, 404);
    switch (path) {
      case "reset":
        state = emptyState();
        originals = new Map();
        profile = defaultProfile();
        return json({ ok: true });
      case "lookup": {
        let target = body.url ?? body.handle;
        if (typeof target !== "string" || target === "") throw Object.assign(new Error('missing "handle" or "url"'), { status: 400 });
        if (body.url == null && !target.startsWith("acct:")) target = `acct:${target.replace(/^@/, "")}`;
        const actor = await lookupActor(ctx, target);
        return json(await describeActor(actor, await aliceLoader(ctx), ctx.contextLoader));
      }
      case "profile": {
        // Edit alice's profile, then send Update(Person) to her followers.
        if (typeof body.name === "string") profile.name = body.name;
        if (typeof body.summary === "string") profile.summary = body.summary;
        if (Array.isArray(body.fields)) profile.fields = body.fields.map((f) => ({ name: String(f.name), value: String(f.value) }));
        if (Array.isArray(body.alsoKnownAs)) profile.alsoKnownAs = body.alsoKnownAs.map((u) => new URL(u).href);
        if ("movedTo" in body) profile.movedTo = body.movedTo ? new URL(body.movedTo).href : null;
        const update = await sendToFollowers(ctx, (actor) =>
          new Update({ id: new URL(`/updates/${randomUUID()}`, origin), actor: actor.id, object: actor, to: ctx.getFollowersUri(ALICE) }));
        return json({ id: update?.id?.href ?? null, followers: state.followers.length });
      }
      case "move": {
        // Mastodon-shaped Move of alice to `target` (which must already list
        // alice in alsoKnownAs), sent to alice's followers.
        const target = new URL(need("target"));
        profile.movedTo = target.href;
        const move = await sendToFollowers(ctx, (actor) =>
          new Move({ id: new URL(`/moves/${randomUUID()}`, origin), actor: actor.id, object: actor.id, target, to: ctx.getFollowersUri(ALICE) }));
        return json({ id: move?.id?.href ?? null, followers: state.followers.length });
      }
      case "follow": {
        const actor = await lookupActor(ctx, need("target"));
        const follow = await followActor(ctx, actor);
        return json({ id: follow.id.href });
      }
      case "unfollow": {
        const actor = await lookupActor(ctx, need("target"));
        const undo = await unfollowActor(ctx, actor);
        if (undo == null) return json({ error: "alice does not follow this actor" }, 409);
        return json({ id: undo.id.href });
      }
      case "flag": {
        const actor = await lookupActor(ctx, need("target"));
        const objects = Array.isArray(body.objects) ? body.objects : [];
        const flag = new Flag({
          id: new URL(`/flags/${randomUUID()}`, origin),
          actor: ctx.getActorUri(INSTANCE),
          objects: [actor.id, ...objects.map((o) => new URL(o))],
          content: typeof body.content === "string" ? body.content : "",
        });
        await ctx.sendActivity({ identifier: INSTANCE }, actor, flag, { immediate: true });
        state.sent.push({ type: "Flag", id: flag.id.href, to: actor.id.href });
        return json({ id: flag.id.href });
      }
      case "mention": {
        const actor = await lookupActor(ctx, need("target"));
        const username = str(actor.preferredUsername) ?? "unknown";
        const acct = `@${username}@${actor.id.host}`;
        const profile = actor.url?.href ?? actor.id.href;
        const noteKey = randomUUID();
        const noteId = ctx.getObjectUri(Note, { id: noteKey });
        const published = Temporal.Now.instant();
        // With `inReplyTo` the Note is a reply; with `public` it is addressed to the
        // public and cc the mentioned actor, as Mastodon addresses a public reply.
        const replyTarget = typeof body.inReplyTo === "string" ? new URL(body.inReplyTo) : null;
        const addressing = body.public === true
          ? { tos: [PUBLIC_COLLECTION], ccs: [actor.id, ctx.getFollowersUri(ALICE)] }
          : { to: actor.id };
        const note = new Note({
          id: noteId,
          attribution: ctx.getActorUri(ALICE),
          ...addressing,
          ...(replyTarget ? { replyTarget } : {}),
          content:
            `<p><span class="h-card"><a href="${escapeHtml(profile)}" class="u-url mention">` +
            `@<span>${escapeHtml(username)}</span></a></span> ${escapeHtml(body.content ?? "")}</p>`,
          tags: [new Mention({ href: actor.id, name: acct })],
          published,
        });
        authoredNotes.set(noteKey, note);
        const create = new Create({
          id: new URL(`/creates/${noteKey}`, origin),
          actor: ctx.getActorUri(ALICE),
          object: note,
          ...addressing,
          published,
        });
        await ctx.sendActivity({ identifier: ALICE }, actor, create, { immediate: true });
        state.sent.push({ type: "Create", id: create.id.href, object: noteId.href, to: actor.id.href });
        return json({ id: noteId.href, activity: create.id.href });
      }
      default:
        return json({ error: "not found" }, 404);
    }
  } catch (e) {
    log(`control ${path} failed:`, e);
    return json({ error: String(e?.message ?? e) }, e?.status ?? 502);
  }
}

// ---------------------------------------------------------------------------
// Request entry point

async function handle(request) {
  const url = new URL(request.url);
  if (url.pathname.startsWith("/control/")) {
    return control(request, url.pathname.slice("/control/".length));
  }
  if (request.method === "POST" && url.pathname.endsWith("/inbox")) {
    // Keep the exact JSON the sender posted, then hand Fedify an identical
    // request (the Digest / Content-Digest covers these bytes).
    const bytes = await request.arrayBuffer();
    try {
      const parsed = JSON.parse(new TextDecoder().decode(bytes));
      if (typeof parsed?.id === "string") {
        originals.set(parsed.id, parsed);
        specs.set(parsed.id, signatureSpec(request.headers));
      }
    } catch {
      // not JSON: Fedify will reject it
    }
    request = new Request(request.url, { method: "POST", headers: request.headers, body: bytes });
  }
  return federation.fetch(request, {
    contextData: undefined,
    onNotFound: () => new Response("Not Found", { status: 404 }),
    onNotAcceptable: () => new Response("Not Acceptable", { status: 406 }),
  });
}
