variable "kubeconfig_path" {
  description = "Path of the kubeconfig used to reach the cluster."
  type        = string
  default     = "~/.kube/config"
}

variable "kube_context" {
  description = "Kube context of the cluster; must match KubeContext in .nuke/parameters.<env>.json."
  type        = string
}

variable "environments" {
  description = "Environments to prepare, keyed by name (dev, staging, prod). The namespace must match Namespace in .nuke/parameters.<env>.json."
  type = map(object({
    namespace       = string
    cpu_quota       = string
    memory_quota    = string
    database_secret = string
  }))
  default = {
    dev     = { namespace = "example-service-dev", cpu_quota = "2", memory_quota = "2Gi", database_secret = "example-service-db" }
    staging = { namespace = "example-service-staging", cpu_quota = "4", memory_quota = "4Gi", database_secret = "example-service-db" }
    prod    = { namespace = "example-service-prod", cpu_quota = "8", memory_quota = "8Gi", database_secret = "example-service-db" }
  }
}

variable "database_connection_strings" {
  description = "PostgreSQL connection string per environment (Npgsql format). Pass via TF_VAR_database_connection_strings or a secret store; never commit it."
  type        = map(string)
  sensitive   = true
}
