variable "name" {
  description = "Name of the portal; its role is <name>-pods"
  type        = string
  default     = "paved-portal"
}

variable "cluster_name" {
  description = "EKS cluster the portal runs on (its Pod Identity association)"
  type        = string
}

variable "namespace" {
  description = "Kubernetes namespace the portal's chart is installed into"
  type        = string
  default     = "paved"
}

variable "service_account" {
  description = "Service account of the portal's chart (serviceAccount.name)"
  type        = string
  default     = "paved-portal"
}

variable "cluster_arns" {
  description = "EKS clusters the portal reads (DescribeCluster): the catalog's cluster provider, runtime health, namespace provisioning"
  type        = list(string)
}

variable "assume_role_arns" {
  description = "Per-account or per-cluster roles the portal assumes (paved.eks.clusters[].roleArn, pavedEks accounts' roleArn and clusterRoleArn)"
  type        = list(string)
  default     = []
}

variable "secret_arns" {
  description = "Secrets Manager secrets the portal may read itself (empty when External Secrets delivers them)"
  type        = list(string)
  default     = []
}

variable "tags" {
  description = "Tags on every resource"
  type        = map(string)
  default     = {}
}
