// Expand a JSON-LD document read from standard input with jsonld.js (the processor
// Fedify uses) and print the expanded form. Contexts come only from Fedify's preloaded
// copies (ActivityStreams, security/v1, …): nothing is fetched, and any other remote
// context is an error. Used by coopdir's tests (tests/it/interchange.rs).
import jsonld from "jsonld";
import { preloadedContexts } from "@fedify/vocab-runtime";

const documentLoader = async (url) => {
  const document = preloadedContexts[url];
  if (document === undefined) throw new Error(`no preloaded context for ${url}`);
  return { contextUrl: null, documentUrl: url, document };
};

let input = "";
for await (const chunk of process.stdin) input += chunk;
const expanded = await jsonld.expand(JSON.parse(input), { documentLoader, safe: false });
process.stdout.write(JSON.stringify(expanded));
