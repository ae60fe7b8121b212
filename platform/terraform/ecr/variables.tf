variable "name" {
  description = "Repository name (the service's name)"
  type        = string
  validation {
    condition     = can(regex("^[a-z0-9]+([._/-][a-z0-9]+)*$", var.name)) && length(var.name) <= 200
    error_message = "ECR repository names are lowercase letters, digits and . _ - / separators."
  }
}

variable "image_tag_mutability" {
  description = "IMMUTABLE (default: a tag is pushed once) or MUTABLE"
  type        = string
  default     = "IMMUTABLE"
  validation {
    condition     = contains(["IMMUTABLE", "MUTABLE"], var.image_tag_mutability)
    error_message = "Use IMMUTABLE or MUTABLE."
  }
}

variable "scan_on_push" {
  description = "Scan every pushed image for vulnerabilities"
  type        = bool
  default     = true
}

variable "keep_last_images" {
  description = "Images kept; older ones expire"
  type        = number
  default     = 50
}

variable "github_repository" {
  description = "owner/repository whose workflows may push (GitHub OIDC subject)"
  type        = string
  validation {
    condition     = can(regex("^[A-Za-z0-9-]+/[A-Za-z0-9._-]+$", var.github_repository))
    error_message = "Use owner/repository."
  }
}

variable "push_branch" {
  description = "Only workflows running on this branch may push"
  type        = string
  default     = "main"
}

variable "tags" {
  description = "Tags on every resource"
  type        = map(string)
  default     = {}
}
