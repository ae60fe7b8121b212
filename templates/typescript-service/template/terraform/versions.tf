terraform {
  required_version = ">= 1.10"
  # Partial configuration: .github/workflows/terraform.yml passes bucket, key, region and S3-native locking.
  backend "s3" {}
  required_providers {
    aws = {
      source  = "hashicorp/aws"
      version = "~> 6.0"
    }
    newrelic = {
      source  = "newrelic/newrelic"
      version = "~> 3.50"
    }
  }
}
