output "namespaces" {
  description = "Namespace per environment, for .nuke/parameters.<env>.json."
  value       = { for env, ns in kubernetes_namespace_v1.environment : env => ns.metadata[0].name }
}
