terraform {
  required_version = ">= 1.10"
  required_providers {
    newrelic = {
      source  = "newrelic/newrelic"
      version = ">= 3.50, < 4.0"
    }
  }
}
