output "role_arn" {
  description = "ARN of the portal's role (the principal the per-cluster roles' trust policies name)"
  value       = aws_iam_role.this.arn
}

output "role_name" {
  description = "Name of the portal's role"
  value       = aws_iam_role.this.name
}
