output "namespace" {
  description = "The environment's namespace (KubeNamespace of .nuke/parameters.<env>.json)."
  value       = kubernetes_namespace_v1.environment.metadata[0].name
}

output "deployer_service_account" {
  description = "The namespace-scoped ServiceAccount whose token makes the environment's KUBECONFIG_DATA."
  value       = kubernetes_service_account_v1.deployer.metadata[0].name
}

output "secret_names" {
  description = "The Secrets the chart's values file of this environment names."
  value = {
    database      = local.environment.database_secret
    api_keys      = local.environment.api_keys_secret
    helm_test_key = local.environment.helm_test_key_secret
  }
}
