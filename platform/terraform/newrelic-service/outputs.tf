output "policy_id" {
  description = "Alert policy id"
  value       = newrelic_alert_policy.this.id
}

output "dashboard_url" {
  description = "Link to the service's dashboard"
  value       = newrelic_one_dashboard.this.permalink
}
