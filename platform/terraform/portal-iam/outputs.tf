output "role_arn" {
  description = "ARN of the portal's role (the principal the per-cluster roles' trust policies name)"
  value       = module.role.role_arn
}

output "role_name" {
  description = "Name of the portal's role"
  value       = module.role.role_name
}
