// SPDX-License-Identifier: AGPL-3.0-only
//
// A Fediverse server's side of FASP (Fediverse Auxiliary Service Provider), written from
// the specification (general/v0.1: protocol basics, registration, provider info;
// discovery: account_search, follow_recommendation v0.1) and RFC 9421 / RFC 9530, for
// coopdir's tests. It uses node:crypto only.
//
// It serves the server's registration endpoint, `POST /api/fasp/registration`, and a
// control API for the test:
//   GET  /control/state                     {registrations: [...]}
//   POST /control/confirm {fingerprint}     compare the provider's key fingerprint (as
//                                           the admin does), then GET provider_info
//   POST /control/request {method, path}    signed request to the provider; the answer's
//                                           signature is verified
//   POST /control/unsigned {method, path}   the same request without any signature
//   POST /control/forged {method, path}     signed with a key the provider does not know
//
// Environment: FASP_PORT (0 = any). Prints "LISTENING <port>" on stdout when ready.

import { createServer } from "node:http";
import {
  createHash,
  createPublicKey,
  generateKeyPairSync,
  sign,
  verify,
} from "node:crypto";

const port = Number.parseInt(process.env.FASP_PORT ?? "0", 10);
const log = (...a) => console.error("[fasp-client]", ...a);

// This server's key pair, and a second one the provider never sees.
const ours = generateKeyPairSync("ed25519");
const stranger = generateKeyPairSync("ed25519");

const rawPublic = (key) => Buffer.from(key.export({ format: "jwk" }).x, "base64url");
const b64 = (buf) => Buffer.from(buf).toString("base64");
const sha256 = (buf) => createHash("sha256").update(buf).digest();
const contentDigest = (body) => `sha-256=:${b64(sha256(body))}:`;

let origin = null;
const registrations = [];

// ---------------------------------------------------------------------------
// RFC 9421, as far as FASP uses it

// An sf-string as RFC 8941 §4.1.6 serializes it.
const sfString = (s) => `"${s.replace(/\\/g, "\\\\").replace(/"/g, '\\"')}"`;

function signatureBase(lines, componentList, paramsText) {
  return [...lines, `"@signature-params": ${componentList}${paramsText}`].join("\n");
}

// Headers of a signed request (FASP protocol basics: @method, @target-uri,
// content-digest; keyid = the id the provider gave this server).
function signRequest(method, url, body, keyId, privateKey) {
  const digest = contentDigest(body);
  const created = Math.floor(Date.now() / 1000);
  const list = '("@method" "@target-uri" "content-digest")';
  const params = `;created=${created};keyid=${sfString(keyId)}`;
  const base = signatureBase(
    [`"@method": ${method.toUpperCase()}`, `"@target-uri": ${url}`, `"content-digest": ${digest}`],
    list,
    params,
  );
  const sig = sign(null, Buffer.from(base), privateKey);
  return {
    "content-digest": digest,
    "signature-input": `sig1=${list}${params}`,
    signature: `sig1=:${b64(sig)}:`,
  };
}

// Verify a provider's answer: the Content-Digest is the one of the bytes received (the
// whole header string compared), and sig1 covers @status and content-digest.
function verifyResponse(status, headers, body, publicKeyB64) {
  const digest = headers.get("content-digest");
  if (digest !== contentDigest(body)) return { ok: false, why: `content-digest ${digest}` };
  const input = headers.get("signature-input") ?? "";
  const m = /^\s*([a-z*][a-z0-9_.*-]*)=(\([^)]*\))(.*)$/.exec(input);
  if (!m) return { ok: false, why: `signature-input ${input}` };
  const [, label, list, params] = m;
  const components = [...list.matchAll(/"([^"]+)"/g)].map((x) => x[1]);
  if (!components.includes("@status") || !components.includes("content-digest")) {
    return { ok: false, why: `covers ${components}` };
  }
  const created = /;created=(\d+)/.exec(params);
  if (!created || Math.abs(Date.now() / 1000 - Number(created[1])) > 300) {
    return { ok: false, why: "created" };
  }
  const lines = components.map((c) => {
    if (c === "@status") return `"@status": ${status}`;
    const v = headers.get(c);
    if (v == null) throw new Error(`missing ${c}`);
    return `"${c}": ${v.trim()}`;
  });
  const sigHeader = headers.get("signature") ?? "";
  const sm = new RegExp(`${label.replace(/[.*]/g, "\\$&")}=:([A-Za-z0-9+/=]+):`).exec(sigHeader);
  if (!sm) return { ok: false, why: `signature ${sigHeader}` };
  const key = createPublicKey({
    key: { kty: "OKP", crv: "Ed25519", x: Buffer.from(publicKeyB64, "base64").toString("base64url") },
    format: "jwk",
  });
  const ok = verify(null, Buffer.from(signatureBase(lines, list, params)), key, Buffer.from(sm[1], "base64"));
  return { ok, why: ok ? null : "signature" };
}

// ---------------------------------------------------------------------------
// Talking to the provider

function current() {
  const r = registrations.at(-1);
  if (!r) throw Object.assign(new Error("no registration"), { status: 409 });
  return r;
}

async function call({ method = "GET", path, mode = "signed" }) {
  const r = current();
  const url = `${r.baseUrl}${path}`;
  const body = Buffer.alloc(0);
  let headers = {};
  if (mode === "signed") headers = signRequest(method, url, body, r.serverId, ours.privateKey);
  if (mode === "forged") headers = signRequest(method, url, body, r.serverId, stranger.privateKey);
  const res = await fetch(url, { method, headers: { ...headers, accept: "application/json" } });
  const bytes = Buffer.from(await res.arrayBuffer());
  const verified = res.status === 401 || res.status === 429
    ? null
    : verifyResponse(res.status, res.headers, bytes, r.publicKey);
  let parsed = null;
  try {
    parsed = bytes.length ? JSON.parse(bytes.toString("utf8")) : null;
  } catch {
    parsed = bytes.toString("utf8");
  }
  return {
    status: res.status,
    verified: verified?.ok ?? null,
    why: verified?.why ?? null,
    contentType: res.headers.get("content-type"),
    link: res.headers.get("link"),
    retryAfter: res.headers.get("retry-after"),
    bodyLength: bytes.length,
    body: parsed,
  };
}

// ---------------------------------------------------------------------------
// HTTP

const json = (res, status, value, extra = {}) => {
  const body = Buffer.from(JSON.stringify(value));
  res.writeHead(status, { "content-type": "application/json", ...extra });
  res.end(body);
};

async function readBody(req) {
  const chunks = [];
  for await (const c of req) chunks.push(c);
  return Buffer.concat(chunks);
}

const server = createServer(async (req, res) => {
  try {
    const url = new URL(req.url, origin);
    const body = await readBody(req);
    if (req.method === "POST" && url.pathname === "/api/fasp/registration") {
      // registration.md: name, baseUrl, serverId, publicKey (base64 raw Ed25519).
      const p = JSON.parse(body.toString("utf8"));
      for (const k of ["name", "baseUrl", "serverId", "publicKey"]) {
        if (typeof p[k] !== "string" || p[k] === "") return json(res, 422, { error: `${k} missing` });
      }
      if (Buffer.from(p.publicKey, "base64").length !== 32) return json(res, 422, { error: "publicKey" });
      const faspId = String(registrations.length + 7);
      registrations.push({ ...p, faspId, confirmed: false, providerInfo: null });
      const answer = Buffer.from(JSON.stringify({
        faspId,
        publicKey: b64(rawPublic(ours.publicKey)),
        registrationCompletionUri: `${origin}/admin/fasp/providers/${faspId}/registration/new`,
      }));
      // Signed like every answer: @status and content-digest.
      const digest = contentDigest(answer);
      const created = Math.floor(Date.now() / 1000);
      const list = '("@status" "content-digest")';
      const params = `;created=${created}`;
      const base = signatureBase([`"@status": 200`, `"content-digest": ${digest}`], list, params);
      const sig = sign(null, Buffer.from(base), ours.privateKey);
      res.writeHead(200, {
        "content-type": "application/json",
        "content-digest": digest,
        "signature-input": `sig1=${list}${params}`,
        signature: `sig1=:${b64(sig)}:`,
      });
      return res.end(answer);
    }
    if (!url.pathname.startsWith("/control/")) return json(res, 404, { error: "not found" });
    const cmd = url.pathname.slice("/control/".length);
    const args = body.length ? JSON.parse(body.toString("utf8")) : {};
    switch (cmd) {
      case "state":
        return json(res, 200, { registrations });
      case "confirm": {
        // The admin compares the fingerprint the provider's operator read out.
        const r = current();
        const fp = b64(sha256(Buffer.from(r.publicKey, "base64")));
        if (fp !== args.fingerprint) return json(res, 409, { error: `fingerprint ${fp} differs` });
        r.confirmed = true;
        const info = await call({ path: "/provider_info" });
        r.providerInfo = info.body;
        return json(res, 200, info);
      }
      case "request":
        return json(res, 200, await call({ ...args, mode: "signed" }));
      case "unsigned":
        return json(res, 200, await call({ ...args, mode: "unsigned" }));
      case "forged":
        return json(res, 200, await call({ ...args, mode: "forged" }));
      default:
        return json(res, 404, { error: "unknown control" });
    }
  } catch (e) {
    log(e);
    return json(res, e?.status ?? 502, { error: String(e?.message ?? e) });
  }
});

server.listen(port, "127.0.0.1", () => {
  const p = server.address().port;
  origin = `http://localhost:${p}`;
  process.stdout.write(`LISTENING ${p}\n`);
});
for (const s of ["SIGINT", "SIGTERM"]) process.on(s, () => process.exit(0));
