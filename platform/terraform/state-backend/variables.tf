variable "bucket_name" {
  description = "S3 bucket holding every root module's state (one key per service)"
  type        = string
}

variable "tags" {
  description = "Tags on every resource"
  type        = map(string)
  default     = {}
}
