// SPDX-License-Identifier: AGPL-3.0-only
//
// Verify the FEP-8b32 object integrity proof of an activity read from standard input with
// Fedify's own implementation (verifyObject: eddsa-jcs-2022, the key fetched from the
// proof's verificationMethod, every actor covered by a proof). Prints "verified" and exits
// 0, or prints "refused" and exits 1. Used by coopdir's tests (tests/it/interop.rs).
import { verifyObject, verifyProof } from "@fedify/fedify";
import { Activity } from "@fedify/vocab";
import { getDocumentLoader } from "@fedify/vocab-runtime";

const loader = getDocumentLoader({ allowPrivateAddress: true });
let input = "";
for await (const chunk of process.stdin) input += chunk;
const json = JSON.parse(input);
const object = await verifyObject(Activity, json, { documentLoader: loader, contextLoader: loader });
if (object == null) {
  process.stdout.write("refused\n");
  // Why: each proof on its own, and the key document.
  const activity = await Activity.fromJsonLd(json, { documentLoader: loader, contextLoader: loader });
  for await (const proof of activity.getProofs({ documentLoader: loader, contextLoader: loader })) {
    const key = await verifyProof(json, proof, { documentLoader: loader, contextLoader: loader });
    process.stdout.write(`proof by ${proof.verificationMethodId?.href}: ${key == null ? "does not verify" : `key of ${key.controllerId?.href}`}\n`);
    try {
      const doc = await loader(proof.verificationMethodId.href);
      process.stdout.write(`key document: ${JSON.stringify(doc.document.assertionMethod ?? null)}\n`);
      process.stdout.write(`created ${proof.created?.toString()} purpose ${proof.proofPurpose} value ${proof.proofValue?.length}\n`);
      const { default: canon } = await import("json-canon");
      const { createHash, verify, createPublicKey } = await import("node:crypto");
      const { decodeMultibase } = await import("@fedify/vocab-runtime");
      const mk = decodeMultibase(doc.document.assertionMethod[0].publicKeyMultibase);
      const key = createPublicKey({ key: { kty: "OKP", crv: "Ed25519", x: Buffer.from(mk.slice(2)).toString("base64url") }, format: "jwk" });
      const cfg = { "@context": json["@context"], type: "DataIntegrityProof", cryptosuite: "eddsa-jcs-2022", verificationMethod: proof.verificationMethodId.href, proofPurpose: "assertionMethod", created: proof.created.toString() };
      const msg = { ...json }; delete msg.proof;
      const h = (x) => createHash("sha256").update(canon(x)).digest();
      const data = Buffer.concat([h(cfg), h(msg)]);
      const { fetchKeyDetailed } = await import("@fedify/fedify");
      const { Multikey } = await import("@fedify/vocab");
      try {
        const r = await fetchKeyDetailed(proof.verificationMethodId, Multikey, { documentLoader: loader, contextLoader: loader });
        process.stdout.write(`fetchKey: ${r.key?.id?.href} ${r.key?.publicKey?.algorithm?.name} ${r.fetchError ? JSON.stringify(r.fetchError) : ""}\n`);
      } catch (e) { process.stdout.write(`fetchKey threw ${e}\n`); }
      process.stdout.write(`node:crypto check: ${verify(null, data, key, Buffer.from(proof.proofValue))}\n`);
    } catch (e) {
      process.stdout.write(`key document: ${e}\n`);
    }
  }
  process.exit(1);
}
process.stdout.write("verified\n");
