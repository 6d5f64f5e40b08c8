// Validates Kubernetes manifests (multi-document YAML files, or stdin with "-") against the official OpenAPI
// schemas compiled into the npm package kubernetes-models. Catches wrong types and enum values; unknown fields are
// the KubernetesClient strict load's job (see docs/delivery-helm.md).
// Usage: node validate-k8s.mjs rendered.yaml [more.yaml|-]   Exit code: 0 all valid, 1 any invalid, 2 usage error.
import { readFileSync } from "node:fs";
import { parseAllDocuments } from "yaml";

// Kinds of custom resources the chart may render; kubernetes-models has no schema for them.
const customResourceGroups = new Set(["monitoring.coreos.com"]);

const files = process.argv.slice(2);
if (files.length === 0) {
  console.error("usage: node validate-k8s.mjs <manifests.yaml|-> [...]");
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
    if (group !== null && customResourceGroups.has(group)) {
      skipped++;
      console.log(`SKIP ${id}: no schema for custom resource ${apiVersion}`);
      continue;
    }

    let module;
    try {
      module = await import(group === null ? `kubernetes-models/${version}` : `kubernetes-models/${group}/${version}`);
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
