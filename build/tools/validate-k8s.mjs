// Validates Kubernetes manifests (multi-document YAML files, or stdin with "-") against the official OpenAPI
// schemas compiled into the npm package kubernetes-models, and custom resources against their CRDs' schemas
// (@kubernetes-models/gateway-api, cert-manager, prometheus-operator). Catches wrong types and enum values; unknown fields are
// the KubernetesClient strict load's job (see "Deploying to Kubernetes" in README.md).
// Usage: node validate-k8s.mjs [--modules <dir with node_modules>] rendered.yaml [more.yaml|-]
// Exit code: 0 all valid, 1 any invalid, 2 usage error. --modules points at where `npm ci` installed this folder's
// package.json (the build installs it under .tools/npm/); by default the packages are looked up next to this script.
import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

const args = process.argv.slice(2);
let modulesRoot = dirname(fileURLToPath(import.meta.url));
if (args[0] === "--modules") {
  modulesRoot = args[1];
  args.splice(0, 2);
}

// Both packages are ESM with "exports" maps, which createRequire cannot resolve; follow the map by hand.
function resolveExport(specifier) {
  const parts = specifier.split("/");
  // A scoped package's name has two parts (@scope/name).
  const rest = parts.splice(specifier.startsWith("@") ? 2 : 1);
  const packageDirectory = join(modulesRoot, "node_modules", ...parts);
  const manifest = JSON.parse(readFileSync(join(packageDirectory, "package.json"), "utf8"));
  const entry = manifest.exports?.[rest.length === 0 ? "." : `./${rest.join("/")}`];
  const target = typeof entry === "string" ? entry : entry?.import ?? entry?.node ?? entry?.default;
  return target === undefined ? null : pathToFileURL(join(packageDirectory, target)).href;
}

const { parseAllDocuments } = await import(resolveExport("yaml"));

// Custom resources the chart may render, by API group: the package with their CRDs' schemas.
const customResourcePackages = new Map([
  ["gateway.networking.k8s.io", "@kubernetes-models/gateway-api"],
  ["cert-manager.io", "@kubernetes-models/cert-manager"],
  ["monitoring.coreos.com", "@kubernetes-models/prometheus-operator"],
]);

const files = args;
if (files.length === 0) {
  console.error("usage: node validate-k8s.mjs [--modules <dir>] <manifests.yaml|-> [...]");
  process.exit(2);
}

let passed = 0;
let failed = 0;
let skipped = 0;

for (const file of files) {
  const text = readFileSync(file === "-" ? 0 : file, "utf8");
  for (const document of parseAllDocuments(text)) {
    if (document.errors.length > 0) {
      failed++;
      console.log(`FAIL ${file}: YAML error: ${document.errors[0].message}`);
      continue;
    }
    const manifest = document.toJS();
    if (manifest === null || manifest === undefined) continue;

    const { apiVersion, kind } = manifest;
    const id = `${kind ?? "?"}/${manifest.metadata?.name ?? "?"}`;
    if (typeof apiVersion !== "string" || typeof kind !== "string") {
      failed++;
      console.log(`FAIL ${id}: apiVersion and kind are required`);
      continue;
    }

    const [group, version] = apiVersion.includes("/") ? apiVersion.split("/") : [null, apiVersion];
    const specifier = group === null
      ? `kubernetes-models/${version}`
      : customResourcePackages.has(group) ? `${customResourcePackages.get(group)}/${group}/${version}` : `kubernetes-models/${group}/${version}`;

    let module;
    try {
      module = await import(resolveExport(specifier));
    } catch {
      failed++;
      console.log(`FAIL ${id}: unknown apiVersion ${apiVersion}`);
      continue;
    }
    const Model = module[kind];
    if (typeof Model !== "function") {
      failed++;
      console.log(`FAIL ${id}: unknown kind ${kind} in ${apiVersion}`);
      continue;
    }

    try {
      new Model(manifest).validate();
      passed++;
      console.log(`PASS ${id}`);
    } catch (error) {
      failed++;
      const details = error.errors?.map((e) => `${e.instancePath || "/"} ${e.message}`).join("; ") ?? error.message;
      console.log(`FAIL ${id}: ${details}`);
    }
  }
}

console.log(`${passed} passed, ${failed} failed, ${skipped} skipped`);
process.exit(failed > 0 ? 1 : 0);
