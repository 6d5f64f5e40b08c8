terraform {
  required_version = ">= 1.5"

  required_providers {
    kubernetes = {
      source  = "hashicorp/kubernetes"
      version = "~> 2.35"
    }
  }
}

locals {
  environment_name = terraform.workspace
  environment      = var.environments[terraform.workspace]
}

# The workspace's own cluster context: no environment is ever applied through another's.
provider "kubernetes" {
  config_path    = var.kubeconfig_path
  config_context = local.environment.kube_context
}
