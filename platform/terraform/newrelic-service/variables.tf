variable "account_id" {
  description = "New Relic account id"
  type        = number
}

variable "name" {
  description = "Service name (policy, dashboard and workflow names)"
  type        = string
}

variable "alert_app_names" {
  description = "APM application names whose errors and latency page the owner (production)"
  type        = list(string)
}

variable "dashboard_app_names" {
  description = "Every environment's APM application name, shown on the dashboard (label => app name)"
  type        = map(string)
}

variable "alert_emails" {
  description = "Who is notified of incidents (the owning team's addresses)"
  type        = list(string)
  validation {
    condition     = length(var.alert_emails) > 0
    error_message = "Name at least one address to notify."
  }
}

variable "runbook_url" {
  description = "Runbook linked from every incident"
  type        = string
  default     = null
}

variable "error_rate_percent" {
  description = "Critical when the share of failed transactions stays above this for five minutes"
  type        = number
  default     = 5
}

variable "latency_p95_seconds" {
  description = "Critical when the 95th percentile response time stays above this for five minutes"
  type        = number
  default     = 1
}
