# The cluster-side prerequisites of a Helm release of charts/example-service for this workspace's environment: the
# namespace (Pod Security "restricted" enforced; the chart's security context satisfies it), a quota the chart's
# requests and limits fit in, the Secrets the chart reads, and the namespace-scoped identity CI deploys with.

resource "kubernetes_namespace_v1" "environment" {
  metadata {
    name = local.environment.namespace
    labels = {
      "app.kubernetes.io/part-of"                  = "example-service"
      "example-service/environment"                = local.environment_name
      "pod-security.kubernetes.io/enforce"         = "restricted"
      "pod-security.kubernetes.io/enforce-version" = "latest"
    }
  }
}

# No limits.cpu: the chart sets CPU requests but no CPU limit (throttling hurts latency more than sharing), and a
# quota on limits.cpu would reject every pod without one.
resource "kubernetes_resource_quota_v1" "environment" {
  metadata {
    name      = "example-service"
    namespace = kubernetes_namespace_v1.environment.metadata[0].name
  }

  spec {
    hard = {
      "requests.cpu"    = local.environment.requests_cpu
      "requests.memory" = local.environment.requests_memory
      "limits.memory"   = local.environment.limits_memory
    }
  }
}

resource "kubernetes_secret_v1" "database" {
  count = local.environment.database_secret == null ? 0 : 1

  metadata {
    name      = local.environment.database_secret
    namespace = kubernetes_namespace_v1.environment.metadata[0].name
  }

  data = {
    "connection-string" = var.database_connection_string
  }

  type = "Opaque"
}

resource "kubernetes_secret_v1" "api_keys" {
  metadata {
    name      = local.environment.api_keys_secret
    namespace = kubernetes_namespace_v1.environment.metadata[0].name
  }

  data = {
    "api-keys.json" = var.api_keys_json
  }

  type = "Opaque"
}

resource "kubernetes_secret_v1" "helm_test_key" {
  metadata {
    name      = local.environment.helm_test_key_secret
    namespace = kubernetes_namespace_v1.environment.metadata[0].name
  }

  data = {
    "api-key" = var.helm_test_key
  }

  type = "Opaque"
}

# The identity CI deploys this environment with (its KUBECONFIG_DATA): it can manage the release's objects in this
# namespace only, and nothing in any other environment's.
resource "kubernetes_service_account_v1" "deployer" {
  metadata {
    name      = "example-service-deployer"
    namespace = kubernetes_namespace_v1.environment.metadata[0].name
  }
}

resource "kubernetes_role_v1" "deployer" {
  metadata {
    name      = "example-service-deployer"
    namespace = kubernetes_namespace_v1.environment.metadata[0].name
  }

  rule {
    api_groups = [""]
    resources  = ["configmaps", "secrets", "services", "serviceaccounts", "pods", "pods/log", "events"]
    verbs      = ["get", "list", "watch", "create", "update", "patch", "delete"]
  }

  rule {
    api_groups = ["apps"]
    resources  = ["deployments", "replicasets"]
    verbs      = ["get", "list", "watch", "create", "update", "patch", "delete"]
  }

  rule {
    api_groups = ["autoscaling", "policy", "networking.k8s.io", "gateway.networking.k8s.io", "cert-manager.io", "monitoring.coreos.com"]
    resources  = ["horizontalpodautoscalers", "poddisruptionbudgets", "networkpolicies", "ingresses", "gateways", "httproutes", "certificates", "servicemonitors"]
    verbs      = ["get", "list", "watch", "create", "update", "patch", "delete"]
  }
}

resource "kubernetes_role_binding_v1" "deployer" {
  metadata {
    name      = "example-service-deployer"
    namespace = kubernetes_namespace_v1.environment.metadata[0].name
  }

  role_ref {
    api_group = "rbac.authorization.k8s.io"
    kind      = "Role"
    name      = kubernetes_role_v1.deployer.metadata[0].name
  }

  subject {
    kind      = "ServiceAccount"
    name      = kubernetes_service_account_v1.deployer.metadata[0].name
    namespace = kubernetes_namespace_v1.environment.metadata[0].name
  }
}
