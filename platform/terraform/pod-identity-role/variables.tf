variable "name" {
  description = "Service name; the role is <name>-pods"
  type        = string
}

variable "clusters" {
  description = "EKS clusters the service runs on: one Pod Identity association each"
  type        = list(string)
}

variable "namespace" {
  description = "Kubernetes namespace of the service account"
  type        = string
}

variable "service_account" {
  description = "Kubernetes service account the pods run as"
  type        = string
}

variable "policy_arns" {
  description = "Managed policies attached to the role"
  type        = list(string)
  default     = []
}

variable "policy_json" {
  description = "An inline policy document for the service's own permissions (null for none)"
  type        = string
  default     = null
}

variable "tags" {
  description = "Tags on every resource"
  type        = map(string)
  default     = {}
}
