output "repository_url" {
  description = "Registry/repository to push to and pull from"
  value       = aws_ecr_repository.this.repository_url
}

output "repository_arn" {
  description = "ARN of the repository"
  value       = aws_ecr_repository.this.arn
}

output "ci_role_name" {
  description = "Role the release workflow assumes to push (role-name input of release-please.yml)"
  value       = aws_iam_role.ci.name
}

output "ci_role_arn" {
  description = "ARN of the push role"
  value       = aws_iam_role.ci.arn
}
