output "bucket" {
  description = "State bucket (state-bucket input of terraform.yml)"
  value       = aws_s3_bucket.state.bucket
}

output "bucket_arn" {
  description = "ARN of the state bucket"
  value       = aws_s3_bucket.state.arn
}
