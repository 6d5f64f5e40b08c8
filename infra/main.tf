# The cluster-side prerequisites of a Helm release of charts/example-service: one namespace per environment
# with Pod Security "restricted" enforced (the chart's security context satisfies it), a quota, and the
# Secret holding the database connection that the chart reads through `database.existingSecret`.

resource "kubernetes_namespace_v1" "environment" {
  for_each = var.environments

  metadata {
    name = each.value.namespace
    labels = {
      "app.kubernetes.io/part-of"                  = "example-service"
      "example-service/environment"                = each.key
      "pod-security.kubernetes.io/enforce"         = "restricted"
      "pod-security.kubernetes.io/enforce-version" = "latest"
    }
  }
}

resource "kubernetes_resource_quota_v1" "environment" {
  for_each = var.environments

  metadata {
    name      = "example-service"
    namespace = kubernetes_namespace_v1.environment[each.key].metadata[0].name
  }

  spec {
    hard = {
      "requests.cpu"    = each.value.cpu_quota
      "requests.memory" = each.value.memory_quota
      "limits.cpu"      = each.value.cpu_quota
      "limits.memory"   = each.value.memory_quota
    }
  }
}

resource "kubernetes_secret_v1" "database" {
  for_each = var.environments

  metadata {
    name      = each.value.database_secret
    namespace = kubernetes_namespace_v1.environment[each.key].metadata[0].name
  }

  data = {
    "connection-string" = var.database_connection_strings[each.key]
  }

  type = "Opaque"
}
