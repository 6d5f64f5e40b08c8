# One Terraform workspace per environment (terraform workspace select prod): each applies with its own kube context
# and state. The environments' values live in environments.auto.tfvars.json, which the build's tests check against the
# chart rendered with that environment's values file.

variable "kubeconfig_path" {
  description = "Path of the kubeconfig of an administrator of the environment's cluster."
  type        = string
  default     = "~/.kube/config"
}

variable "environments" {
  description = "Per environment (the workspace name): its kube context and namespace (KubeContext and KubeNamespace of .nuke/parameters.<env>.json), the quota, and the names of the Secrets the chart reads."
  type = map(object({
    kube_context         = string
    namespace            = string
    requests_cpu         = string
    requests_memory      = string
    limits_memory        = string
    database_secret      = optional(string)
    api_keys_secret      = string
    helm_test_key_secret = string
  }))
}

variable "database_connection_string" {
  description = "PostgreSQL connection string of this workspace's environment (Npgsql format), for environments with a database_secret. Pass via TF_VAR_database_connection_string or a secret store; never commit it."
  type        = string
  sensitive   = true
  default     = null
}

variable "api_keys_json" {
  description = "The service's API key file of this environment: a JSON array of {id, sha256, scopes} (hashes only; see README, 'API keys')."
  type        = string
  sensitive   = true
}

variable "helm_test_key" {
  description = "The plain API key the helm test pods send; in protected environments a key with users.read only."
  type        = string
  sensitive   = true
}
