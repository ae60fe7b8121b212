output "repository_url" {
  description = "ECR repository the release workflow pushes to"
  value       = module.ecr.repository_url
}

output "role_arn" {
  description = "IAM role of the service's pods"
  value       = module.pod_identity_role.role_arn
}

output "dashboard_url" {
  description = "The service's New Relic dashboard"
  value       = module.newrelic.dashboard_url
}
